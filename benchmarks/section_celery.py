"""grade-batch on Celery workers (`--broker`) against local grade-batch, on this one machine.

16 submissions of 02_math (reference answers, untouched stubs, bank mistakes), graded by local
`grade-batch` (2 thread workers) and by `grade-batch --broker` with two `celery worker` processes
(concurrency 1 each) on a redis-server of its own on 127.0.0.1. On one 2-core machine the broker
only adds overhead; the figure to read is that overhead, and the points must be identical.
Skipped (one line says so) when redis-server is not installed.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
MODULE = "02_math"
MISTAKES = ["softmax__no_max_shift", "ridge_fit__no_intercept", "pca__no_centring", "gaussian_mle__ddof1",
            "logsumexp__naive", "welch_ttest__pooled"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _class(root: Path, n: int = 16) -> None:
    release = nbformat.read(ROOT / "exercises" / f"{MODULE}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "solutions" / f"{MODULE}.ipynb", as_version=4)
    reference = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solution.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for i in range(n):
        nb = nbformat.from_dict(json.loads(json.dumps(release)))
        if i % 4:                                   # every 4th student hands in the untouched release
            answers = dict(reference)
            if i % 4 == 2:
                slug = MISTAKES[i % len(MISTAKES)]
                answers[slug.split("__")[0]] = (ROOT / "tests" / "modules" / "mistakes" / MODULE / f"{slug}.py").read_text()
            for cell in nb.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid in answers and cell.metadata["nbgrader"].get("solution"):
                    cell.source = answers[gid]
        folder = root / "submitted" / f"student{i:02d}" / MODULE
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{MODULE}.ipynb")


def _timed(args, cwd) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=True, capture_output=True, timeout=1200)
    return time.perf_counter() - started


def run() -> list[tuple[str, float]]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(binary):
        print("skipped: redis-server is not installed")
        return []
    work = Path(tempfile.mkdtemp(prefix="mlkata-bench-celery-"))
    _class(work)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    redis = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                             stdout=subprocess.DEVNULL)
    workers, logs = [], []
    try:
        t_local = _timed([sys.executable, "-m", "graders", "grade-batch", str(work), "--workers", "2",
                          "--csv", "local.csv", "--json", "local.json"], work)
        started = time.perf_counter()
        for name in ("w1", "w2"):
            logs.append(work / f"{name}.log")
            with open(logs[-1], "w") as out:        # the worker keeps its own copy of the descriptor
                workers.append(subprocess.Popen(
                    [sys.executable, "-m", "graders", "worker", "--broker", url, "-c", "1", "--warm", MODULE,
                     "--hostname", f"{name}@%h"], cwd=ROOT, env=ENV, stdout=out, stderr=subprocess.STDOUT,
                    start_new_session=True))
        while not all("ready." in log.read_text() for log in logs):
            if time.perf_counter() - started > 300:
                raise RuntimeError("the workers did not start")
            time.sleep(0.1)
        t_ready = time.perf_counter() - started
        t_remote = _timed([sys.executable, "-m", "graders", "grade-batch", str(work), "--broker", url,
                           "--csv", "remote.csv", "--json", "remote.json", "--timeout", "600"], work)
        t_again = _timed([sys.executable, "-m", "graders", "grade-batch", str(work), "--broker", url,
                          "--csv", "again.csv", "--json", "again.json", "--timeout", "600"], work)
    finally:
        for proc in workers:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
        redis.terminate()
        redis.wait(timeout=30)
    same = (work / "local.csv").read_text() == (work / "remote.csv").read_text() == (work / "again.csv").read_text()
    return [("submissions graded", 16.0),
            ("local grade-batch --workers 2 (s)", t_local),
            ("two celery workers started, until both log ready (s)", t_ready),
            ("grade-batch --broker, two workers (s)", t_remote),
            ("grade-batch --broker again, workers already warm (s)", t_again),
            ("submissions per second on the workers (warm)", 16 / t_again),
            ("identical gradebooks (1 = yes)", float(same))]


if __name__ == "__main__":
    for label, value in run():
        print(f"{label:55s} {value:8.2f}")
