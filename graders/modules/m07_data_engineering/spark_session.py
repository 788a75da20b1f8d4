"""The grader's own SparkSession (grading process): started once, reused by every Spark check, stopped at exit.

Spark runs ``local[2]`` in a JVM that PySpark starts as a child of the *grading* process (pinned: the
grader owns the session). The learner's code still runs in the sandbox: its probe attaches to this
JVM through the py4j gateway (port and secret from the marker file, see ``background.py``), wraps it
in a new SparkSession of the same SparkContext, and builds its DataFrame plans there; the JVM executes
them and the rows come back to the sandbox. So no JVM ever runs under the sandbox's address-space cap
(a JVM reserves gigabytes of it) and a grading run pays the JVM's start-up once, in the background,
and only when a notebook attempted the exercise.

The JVM's output is discarded (log4j's start-up chatter is not feedback), its working directory is a
private temporary folder (a learner's ``saveAsTable`` lands there), and Python UDFs are refused by the
sandbox side: their workers would run outside the sandbox.
"""
from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import warnings

from graders.engine.paths import grader_files
from graders.engine.trust import grading_untrusted

from . import spark_cds
from .background import Prepared
from .sandbox_spark import splice

# PySpark 4.3 warns on import of its pandas bridge that pandas 3 is newer than it was tested with; the
# grader never converts to pandas through Spark, and a warning is not feedback
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)

JAVA_MISSING = "skipped: Java not found (install default-jre-headless)"
CONF = {
    "spark.master": "local[2]",
    "spark.app.name": "mlkata-07-grader",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.memory": "1g",            # the JVM's options: spark_cds.java_options()
    "spark.sql.adaptive.enabled": "false",
}


def java_missing() -> str | None:
    """None when Spark can find Java (``java`` on PATH or JAVA_HOME set), else the skip message."""
    if shutil.which("java") or os.environ.get("JAVA_HOME"):
        return None
    return JAVA_MISSING


UNBOXED_JVM = ("skipped in a graded class: PySpark hands learner code the grader's JVM, which runs outside the box, "
               "so a submission could reach the grader's files through it; set MLKATA_ALLOW_UNBOXED_SPARK=1 to grade "
               "it anyway (only for submissions you trust)")


def spark_unavailable() -> str | None:
    """None when the Spark check may run here, else why it is skipped (no Java; a class's untrusted code)."""
    if grading_untrusted() and os.environ.get("MLKATA_ALLOW_UNBOXED_SPARK") != "1":
        return UNBOXED_JVM
    return java_missing()


def listening_ports(pid: int) -> set[int]:
    """The TCP ports process ``pid`` listens on (Linux /proc; empty where it cannot be read)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return set()
    inodes = set()
    for fd in fds:
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue                    # closed since listdir: the JVM's threads open and close files all the time
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as fh:
                rows = fh.readlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in inodes:          # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


class Tunnel:
    """The sandbox's way to the JVM (see ``sandbox_spark``): a Unix socket in the files folder the box shows.

    Each connection names a port on its first line; it is forwarded to 127.0.0.1:port only when the JVM
    listens there (its py4j gateway, the sockets that serve collected rows), so learner code reaches
    nothing else of this machine's loopback through it."""

    def __init__(self, path: str, jvm_pid: int, gateway_port: int):
        self.path, self._pid, self._gateway = path, jvm_pid, gateway_port
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(path)
        self._listener.listen(64)
        threading.Thread(target=self._serve, name="mlkata-07-spark-tunnel", daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return                      # closed
            threading.Thread(target=self._open, args=(conn,), daemon=True).start()

    def _open(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(10)
            line = b""
            while not line.endswith(b"\n") and len(line) < 8:
                chunk = conn.recv(1)
                if not chunk:
                    break
                line += chunk
            port = int(line.strip() or 0)
            if port != self._gateway and port not in listening_ports(self._pid):
                raise ValueError(f"port {port} is not the JVM's")
            target = socket.create_connection(("127.0.0.1", port), timeout=10)
            target.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.settimeout(None)
            target.settimeout(None)
        except (OSError, ValueError):
            conn.close()
            return
        splice(conn, target)

    def close(self) -> None:
        try:
            self._listener.close()
            os.remove(self.path)
        except OSError:
            pass


class SparkOwner:
    def __init__(self, java_options: str | None = None):
        self.java_options = java_options      # None: spark_cds.java_options(), with the class archive if made
        self.session = None
        self.gateway = None
        self._dir: str | None = None
        self.tunnel: Tunnel | None = None
        self._lock = threading.Lock()
        self.job: Prepared | None = None
        # two exercises graded at once (engine/parallel.py) may both ask: out_of_core_agg starts the session early
        self._asking = threading.Lock()

    def _folder(self) -> str:
        if self._dir is None:
            # in the grading process's files folder: the box shows it to the sandbox (marker, tunnel)
            self._dir = tempfile.mkdtemp(prefix="m07-spark-", dir=grader_files())
        return self._dir

    def _start(self) -> dict:
        from pyspark import SparkConf, SparkContext
        from pyspark.sql import SparkSession

        with self._lock:
            if self.gateway is None:     # a new JVM: pyspark must not build the conf on one that has exited
                SparkContext._gateway = SparkContext._jvm = None
            options = self.java_options or spark_cds.java_options()
            conf = SparkConf(loadDefaults=False).setAll([*CONF.items(), ("spark.driver.extraJavaOptions", options)])
            if self.gateway is None:
                try:
                    self.gateway = self._launch(conf)
                except RuntimeError:
                    if "SharedArchiveFile" not in options:
                        raise
                    spark_cds.drop()          # a JVM that cannot start with the class archive starts without it
                    self.gateway = self._launch(conf.set("spark.driver.extraJavaOptions", spark_cds.OPTIONS))
                atexit.register(self.stop)
            # a restart after a submission stopped the context: forget the dead Python-side objects
            SparkContext._active_spark_context = None
            SparkSession._instantiatedSession = SparkSession._activeSession = None
            sc = SparkContext(conf=conf, gateway=self.gateway)
            sc.setLogLevel("ERROR")
            self.session = SparkSession(sc)
            jvm_session = self.gateway.jvm.org.apache.spark.sql.SparkSession
            jvm_session.setDefaultSession(self.session._jsparkSession)   # what the sandbox side attaches to
            gw = self.gateway.gateway_parameters if hasattr(self.gateway, "gateway_parameters") else \
                self.gateway.java_parameters
            if self.tunnel is None:
                self.tunnel = Tunnel(os.path.join(self._folder(), "jvm.sock"), self.gateway.proc.pid, gw.port)
            return {"tunnel": self.tunnel.path, "port": gw.port, "secret": gw.auth_token}

    def _launch(self, conf):
        """Start the JVM (PySpark's spark-submit gateway) and connect to it.

        What ``pyspark.java_gateway.launch_gateway`` does, minus its ``preexec_fn``: this runs in a
        background thread, and a fork that runs Python code before exec can deadlock in a process that
        has other threads. ``start_new_session`` keeps Ctrl-C in the terminal away from the JVM instead.
        """
        from py4j.clientserver import ClientServer, JavaParameters, PythonParameters
        from py4j.java_gateway import java_import
        from pyspark.find_spark_home import _find_spark_home
        from pyspark.serializers import UTF8Deserializer, read_int

        work = os.path.join(self._folder(), "jvm")
        os.makedirs(work, exist_ok=True)
        info = os.path.join(self._folder(), "connection-info")
        command = [os.path.join(_find_spark_home(), "bin", "spark-submit")]
        for key, value in conf.getAll():
            command += ["--conf", f"{key}={value}"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYSPARK_GATEWAY_")}
        env.update(SPARK_CONNECT_MODE="0", _PYSPARK_DRIVER_CONN_INFO_PATH=info)
        proc = subprocess.Popen(command + ["pyspark-shell"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, cwd=work, env=env, start_new_session=True)
        while proc.poll() is None and not os.path.isfile(info):
            time.sleep(0.05)
        if not os.path.isfile(info):
            raise RuntimeError(f"the Spark JVM exited with status {proc.returncode} before it was ready")
        with open(info, "rb") as fh:
            port, secret = read_int(fh), UTF8Deserializer().loads(fh)
        gateway = ClientServer(java_parameters=JavaParameters(port=port, auth_token=secret, auto_convert=True),
                               python_parameters=PythonParameters(port=0, eager_load=False))
        gateway.proc = proc
        for name in ("org.apache.spark.SparkConf", "org.apache.spark.api.java.*", "org.apache.spark.api.python.*",
                     "org.apache.spark.ml.python.*", "org.apache.spark.mllib.api.python.*",
                     "org.apache.spark.resource.*", "org.apache.spark.sql.Encoders",
                     "org.apache.spark.sql.OnSuccessCall", "org.apache.spark.sql.functions",
                     "org.apache.spark.sql.classic.*", "org.apache.spark.sql.api.python.*",
                     "org.apache.spark.sql.hive.*", "scala.Tuple2"):   # what launch_gateway imports
            java_import(gateway.jvm, name)
        return gateway

    def marker(self) -> str:
        """Start the session (in the background) or check it is still alive; the marker path for the probe."""
        with self._asking:
            if self.job is None:
                self.job = Prepared(os.path.join(self._folder(), "gateway.json"), self._start)
            elif self.session is not None and not self._alive():
                self.session = None
                self.job.reset()                 # a submission stopped it: start a new SparkContext on the JVM
            return self.job.start()

    def _alive(self) -> bool:
        try:
            return not self.session.sparkContext._jsc.sc().isStopped()
        except Exception:  # noqa: BLE001 - the JVM itself is gone
            self.gateway = None
            if self.tunnel is not None:
                self.tunnel.close()          # it points at the dead JVM
                self.tunnel = None
            return False

    def stop(self, wait: float = 10.0) -> int | None:
        """Stop the session and the JVM (registered at exit; safe to call twice); the JVM's exit status, None
        when there was none to stop or it was killed after ``wait`` seconds.

        A JVM still starting (the check saw an untouched stub and never waited for it) is not waited for:
        it exits by itself when this process ends and closes its stdin."""
        status = None
        if not self._lock.acquire(blocking=False):
            return status
        try:
            if self.session is not None:
                try:
                    self.session.stop()
                except Exception:  # noqa: BLE001, S110 - already stopped by someone
                    pass
                self.session = None
            if self.tunnel is not None:
                self.tunnel.close()
                self.tunnel = None
            if self.gateway is not None:
                proc = getattr(self.gateway, "proc", None)
                try:
                    self.gateway.shutdown()
                except Exception:  # noqa: BLE001, S110 - the JVM is gone already
                    pass
                if proc is not None:
                    proc.stdin.close()       # the JVM exits when its stdin closes
                    try:
                        status = proc.wait(wait)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                self.gateway = None
            if self._dir is not None:
                shutil.rmtree(self._dir, ignore_errors=True)
                self._dir = None
            self.job = None
        finally:
            self._lock.release()
        return status


OWNER = SparkOwner()


def warm_up() -> None:
    """Start the session in the background if Java is there (the Spark check will wait for it)."""
    if spark_unavailable() is None:
        OWNER.marker()
