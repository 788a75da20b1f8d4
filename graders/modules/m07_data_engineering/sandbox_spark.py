"""Sandbox side of the Spark check: attach to the grader's JVM, build the inputs, call the learner.

PySpark can drive a JVM it did not start: with ``PYSPARK_GATEWAY_PORT``/``_SECRET`` set, its
``launch_gateway`` connects instead of spawning, and ``SparkContext(jsc=...)`` wraps the running
context (the way notebook servers such as Livy and Zeppelin attach Python to a JVM). Each probe gets a
*new* SparkSession of that context, so temporary views and SQL settings of one submission never
reach the next; only the rows collected here go back to the grader.
"""
from __future__ import annotations

import os

from .helpers import is_stub, observe_table, wait_marker

ORDERS = (("order_id", "BIGINT"), ("product_id", "BIGINT"), ("qty", "BIGINT"), ("unit_price", "DOUBLE"))
PRODUCTS = (("product_id", "BIGINT"), ("category", "STRING"))
NO_UDFS = "python-UDFs-and-RDDs-of-Python-objects-are-not-available-when-grading"


def attach(port: int, secret: str):
    """A SparkSession of the grader's SparkContext, usable from this process."""
    os.environ["PYSPARK_GATEWAY_PORT"], os.environ["PYSPARK_GATEWAY_SECRET"] = str(port), secret
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
    spark = attach(ready["port"], ready["secret"])
    out = []
    for i, (orders, products, n) in enumerate(cases):
        ctx.progress(i)
        o, p = local_frame(spark, orders, ORDERS), local_frame(spark, products, PRODUCTS)
        out.append(observe_table(fn, (o, p, n)))
    return out
