"""``make grade`` of a whole course, as a learner runs it (issue 14).

Measured in this one run, each a fresh ``python -m graders grade <folder>`` (cold):
- the fresh course: every notebook as released (exercises/), which the grader judges "not attempted"
  without running anything;
- the finished course: every reference notebook (solutions/), one notebook at a time (``--workers 1``) and
  two at a time (``--workers 2``, the default on two cores), with the second worker's speed-up.
Ratios are printed, never asserted. MLKATA_BENCH_COURSE=0 skips the section.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def grade_folder(folder: Path, *options: str) -> float:
    """Seconds of one cold ``grade`` of every notebook in ``folder``; refuses to time a run that failed."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "graders", "grade", "--no-history", *options, str(folder)],
                          cwd=ROOT, env=ENV, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"grading {folder} failed: {done.stderr[-500:]}")
    return seconds


def run() -> list[tuple[str, float]]:
    if os.environ.get("MLKATA_BENCH_COURSE", "1") == "0":
        return []
    with tempfile.TemporaryDirectory() as tmp:
        fresh, finished = Path(tmp) / "fresh", Path(tmp) / "finished"
        shutil.copytree(ROOT / "exercises", fresh)        # copies: grading never writes, but history might
        shutil.copytree(ROOT / "solutions", finished)
        count = len(list(finished.glob("*.ipynb")))
        untouched = grade_folder(fresh)
        one = grade_folder(finished, "--workers", "1")
        two = grade_folder(finished, "--workers", "2")
    return [("course: notebooks", count),
            ("course: make grade of the fresh course (nothing written), s", untouched),
            ("course: make grade of the finished course, 1 worker, s", one),
            ("course: make grade of the finished course, 2 workers, s", two),
            ("course: speed-up of the second worker (1 worker / 2 workers)", one / two)]
