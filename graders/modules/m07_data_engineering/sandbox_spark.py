"""Sandbox side of the Spark check: attach to the grader's JVM, build the inputs, call the learner.

PySpark can drive a JVM it did not start: with ``PYSPARK_GATEWAY_PORT``/``_SECRET`` set, its
``launch_gateway`` connects instead of spawning, and ``SparkContext(jsc=...)`` wraps the running
context (the way notebook servers such as Livy and Zeppelin attach Python to a JVM). Each probe gets a
*new* SparkSession of that context, so temporary views and SQL settings of one submission never
reach the next; only the rows collected here go back to the grader.

The sandbox may live in a box with its own network namespace (a loopback that reaches nothing), so it
reaches the JVM through a *tunnel*: a Unix socket the grading process listens on in its files folder
(a socket file works across network namespaces and on a read-only mount). Each connection starts with
one line naming the JVM port wanted; the grading process forwards it to 127.0.0.1:port if, and only if,
the JVM itself listens there (``spark_session.Tunnel``). Here, the py4j gateway gets a loopback port of
the box's own that relays to the tunnel, and PySpark's result sockets (``collect``) are opened through it.
"""
from __future__ import annotations

import os
import socket
import threading

from .helpers import is_stub, observe_table, wait_marker

ORDERS = (("order_id", "BIGINT"), ("product_id", "BIGINT"), ("qty", "BIGINT"), ("unit_price", "DOUBLE"))
PRODUCTS = (("product_id", "BIGINT"), ("category", "STRING"))
NO_UDFS = "python-UDFs-and-RDDs-of-Python-objects-are-not-available-when-grading"


def tunnel_socket(path: str, port: int) -> socket.socket:
    """A stream to the JVM's ``port`` through the grading process's tunnel at ``path``."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    sock.sendall(f"{int(port)}\n".encode())
    return sock


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(1 << 16):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for sock, how in ((dst, socket.SHUT_WR), (src, socket.SHUT_RD)):
            try:
                sock.shutdown(how)
            except OSError:
                pass


def splice(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways between two connected sockets (daemon threads; each closes at end of stream)."""
    for src, dst in ((a, b), (b, a)):
        threading.Thread(target=_pump, args=(src, dst), daemon=True).start()


def local_relay(path: str, port: int) -> int:
    """A loopback port of this process whose connections go to the JVM's ``port`` through the tunnel."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def serve():
        while True:
            conn, _ = listener.accept()
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            splice(conn, tunnel_socket(path, port))

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1]


# Why result sockets failed in this process. PySpark's ``_load_from_socket`` hides our exception behind its
# own (``UnboundLocalError: ... 'sockfile'``), and learner code may catch either: so the probe counts
# failures here, and a case during which one happened is the grader's trouble, not the learner's answer.
SOCKET_FAILURES: list[str] = []


class ResultSocketFailed(ConnectionError):
    """The tunnel could not open a socket for collected rows (the grader's fault, never the learner's)."""


def _through_tunnel(path: str):
    """PySpark's ``local_connect_and_auth`` for result sockets, opened through the tunnel."""
    from pyspark.util import _do_server_auth

    def connect(conn_info, auth_secret):
        try:
            sock = tunnel_socket(path, int(conn_info))
            sock.settimeout(int(os.environ.get("SPARK_AUTH_SOCKET_TIMEOUT", "15")))
            sockfile = sock.makefile("rwb", int(os.environ.get("SPARK_BUFFER_SIZE", "65536")))
            _do_server_auth(sockfile, auth_secret)
        except Exception as exc:
            SOCKET_FAILURES.append(f"{type(exc).__name__}: {exc}".strip(": "))
            raise ResultSocketFailed(f"no result socket from the JVM: {SOCKET_FAILURES[-1]}") from exc
        sock.settimeout(None)
        return sockfile, sock
    return connect


def _accumulator_server(auth_token, is_unix_domain_sock=False, socket_path=None):
    """PySpark's accumulator server on 127.0.0.1 rather than "localhost" (the box has no /etc/hosts);
    it never hears from anyone here, since Python workers are refused."""
    from pyspark.accumulators import AccumulatorTCPServer, UpdateRequestHandler

    server = AccumulatorTCPServer(("127.0.0.1", 0), UpdateRequestHandler, auth_token)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def attach(tunnel: str, port: int, secret: str):
    """A SparkSession of the grader's SparkContext, usable from this process."""
    import pyspark.accumulators as acc
    import pyspark.util

    pyspark.util.local_connect_and_auth = _through_tunnel(tunnel)
    acc._start_update_server = _accumulator_server
    os.environ["PYSPARK_GATEWAY_PORT"], os.environ["PYSPARK_GATEWAY_SECRET"] = str(local_relay(tunnel, port)), secret
    os.environ["PYSPARK_PYTHON"] = NO_UDFS          # a Python UDF's worker would run outside the sandbox
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    # forget any session a notebook cell may have made in the process we were forked from
    SparkContext._gateway = SparkContext._jvm = SparkContext._active_spark_context = None
    SparkSession._instantiatedSession = SparkSession._activeSession = None
    gateway = launch_gateway()
    jvm = gateway.jvm
    jsc = jvm.org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
        jvm.org.apache.spark.SparkContext.getOrCreate())
    sc = SparkContext(gateway=gateway, jsc=jsc, conf=SparkConf(_jconf=jsc.sc().conf()))
    sc.pythonExec = NO_UDFS
    return SparkSession(sc, jsparkSession=jvm.org.apache.spark.sql.SparkSession.active().newSession())


def _literal(v) -> str:
    if isinstance(v, str):
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(v, float):
        return f"{v!r}D"
    return str(int(v))


def local_frame(spark, rows, schema):
    """A DataFrame of these rows made by the JVM alone (a VALUES list): ``createDataFrame`` on Python
    objects would start Python workers, and those are refused here."""
    names = ", ".join(n for n, _ in schema)
    values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
    cast = ", ".join(f"CAST({n} AS {t}) AS {n}" for n, t in schema)
    return spark.sql(f"SELECT {cast} FROM VALUES {values} AS t({names})")


def spark_each(ctx, target: str, marker: str, cases, wait: float):
    """Each case: (orders rows, products rows, n). Waits for the grader's session unless this is the stub."""
    fn = ctx.lookup(target)
    if is_stub(fn):
        return [ctx.observe(fn, (None, None, cases[0][2]))]
    ready = wait_marker(marker, wait)
    if "error" in ready:
        return [{"grader_error": f"the grader's Spark session did not start: {ready['error']}"}]
    spark = attach(ready["tunnel"], ready["port"], ready["secret"])
    out = []
    for i, case in enumerate(cases):
        ctx.progress(i)
        out.append(observe_case(spark, fn, case))
    return out


def observe_case(spark, fn, case, tries: int = 2) -> dict:
    """The learner's answer on one case, asked again (on fresh frames) when a result socket failed meanwhile:
    a JVM busy restarting a stopped context may miss one. Twice is a grader error, costing the learner nothing."""
    orders, products, n = case
    for _ in range(tries):
        before = len(SOCKET_FAILURES)
        o, p = local_frame(spark, orders, ORDERS), local_frame(spark, products, PRODUCTS)
        obs = observe_table(fn, (o, p, n))
        if len(SOCKET_FAILURES) == before:
            return obs
    return {"grader_error": f"Spark could not send the collected rows back, {tries} times "
                            f"({SOCKET_FAILURES[-1]})"}
