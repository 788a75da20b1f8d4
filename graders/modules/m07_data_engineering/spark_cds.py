"""A class-data-sharing archive of the Spark JVM's classes, made once per machine by ``mlkata warm``.

With it the grader's JVM starts in about 1.5 s instead of 3 s and runs its first jobs faster (a cold grade of
this module: 8.0 -> 6.0 s). It is the JDK's dynamic archive (JDK 13+): a JVM started with
``-XX:ArchiveClassesAtExit=<file>`` writes the classes it loaded when it exits, and later JVMs map them with
``-XX:SharedArchiveFile=<file>``. The archive is kept in the learner's private folder
(``graders/engine/kept_files.py``) under a recipe of the JVM's executable, Spark's version and the JVM's options;
only the grader's JVM, outside the box, reads it.

A JVM handed an archive cut short crashes (it maps the file), so the archive is renamed into place only after
the JVM that wrote it exited cleanly, and used only while its size and modification time are the ones recorded
then; a JVM that fails to start with it anyway is started again without it, and the archive is dropped. A JVM
ignores an archive made by another JVM build (``-Xshare:auto``, its default).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from graders.engine import kept_files

# a short-lived JVM: start fast (no C2 compiler, serial GC) rather than run long jobs fast
OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss4m"
NAME = "07_data_engineering-spark-classes"
MAKE_TIMEOUT = 300.0


def java_executable() -> str | None:
    """The ``java`` Spark's launcher runs: ``$JAVA_HOME/bin/java``, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    found = os.path.join(home, "bin", "java") if home else shutil.which("java")
    return os.path.realpath(found) if found and os.path.exists(found) else None


def _keep(java: str) -> Path:
    st = os.stat(java)
    return kept_files.location(NAME, (OPTIONS, version("pyspark"), java, st.st_size, st.st_mtime_ns), ".jsa")


def archive() -> Path | None:
    """The kept archive for this machine's JVM and Spark, if one was made and is still whole."""
    java = java_executable()
    if java is None:
        return None
    keep = _keep(java)
    return keep if kept_files.sound(keep) is not None else None


def java_options() -> str:
    """The grader's JVM options: :data:`OPTIONS`, and the archive when there is one (at a path Spark's
    launcher can pass on: it splits the options at spaces)."""
    found = archive()
    if found is None or any(c.isspace() for c in str(found)):
        return OPTIONS
    return f"{OPTIONS} -XX:SharedArchiveFile={found}"


def drop() -> None:
    """Forget the archive (a JVM could not start with it)."""
    found = archive()
    if found is not None:
        found.unlink(missing_ok=True)


def make() -> str:
    """Make this machine's archive unless a whole one is kept: a JVM runs typical grading work (a separate
    Python process: ``spark_cds_workload.py``) and writes the archive as it exits. Returns what happened."""
    java = java_executable()
    if java is None:
        return "no Java: the Spark check will be skipped"
    keep = _keep(java)
    if kept_files.sound(keep) is not None:
        return "Spark's class archive is ready"
    tmp = keep.with_name(f"{keep.name}.{os.getpid()}.tmp")
    try:
        keep.parent.mkdir(parents=True, exist_ok=True)
        run = subprocess.run([sys.executable, "-m", f"{__package__}.spark_cds_workload", str(tmp)],
                             check=False, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                             timeout=MAKE_TIMEOUT)
        if run.returncode != 0 or not tmp.is_file():
            why = (run.stderr.strip().splitlines() or [f"exit status {run.returncode}"])[-1][:200]
            return f"Spark's class archive could not be made ({why}); the JVM starts without it"
        os.replace(tmp, keep)
        kept_files.vouch(keep, NAME, {})
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"Spark's class archive could not be made ({exc}); the JVM starts without it"
    finally:
        tmp.unlink(missing_ok=True)
    return "Spark's class archive made"
