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
import subprocess
import tempfile
import threading
import time
import warnings

from .background import Prepared

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
    "spark.driver.memory": "1g",
    # a short-lived JVM: start fast (no C2 compiler, serial GC) rather than run long jobs fast
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss4m",
    "spark.sql.adaptive.enabled": "false",
}


def java_missing() -> str | None:
    """None when Spark can find Java (``java`` on PATH or JAVA_HOME set), else the skip message."""
    if shutil.which("java") or os.environ.get("JAVA_HOME"):
        return None
    return JAVA_MISSING


class SparkOwner:
    def __init__(self):
        self.session = None
        self.gateway = None
        self._dir: str | None = None
        self._lock = threading.Lock()
        self.job: Prepared | None = None

    def _folder(self) -> str:
        if self._dir is None:
            self._dir = tempfile.mkdtemp(prefix="mlkata-07-spark-")
        return self._dir

    def _start(self) -> dict:
        from pyspark import SparkConf, SparkContext
        from pyspark.sql import SparkSession

        with self._lock:
            conf = SparkConf(loadDefaults=False).setAll(list(CONF.items()))
            if self.gateway is None:
                self.gateway = self._launch(conf)
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
            return {"port": gw.port, "secret": gw.auth_token}

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
            return False

    def stop(self) -> None:
        """Stop the session and the JVM (registered at exit; safe to call twice).

        A JVM still starting (the check saw an untouched stub and never waited for it) is not waited for:
        it exits by itself when this process ends and closes its stdin."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            if self.session is not None:
                try:
                    self.session.stop()
                except Exception:  # noqa: BLE001, S110 - already stopped by someone
                    pass
                self.session = None
            if self.gateway is not None:
                proc = getattr(self.gateway, "proc", None)
                try:
                    self.gateway.shutdown()
                except Exception:  # noqa: BLE001, S110 - the JVM is gone already
                    pass
                if proc is not None:
                    proc.stdin.close()       # the JVM exits when its stdin closes
                    try:
                        proc.wait(10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                self.gateway = None
            if self._dir is not None:
                shutil.rmtree(self._dir, ignore_errors=True)
                self._dir = None
            self.job = None
        finally:
            self._lock.release()


OWNER = SparkOwner()


def warm_up() -> None:
    """Start the session in the background if Java is there (the Spark check will wait for it)."""
    if java_missing() is None:
        OWNER.marker()
