"""Grade solutions/06_deep_learning.ipynb on this machine and report device, timings and points.

    .venv/bin/python benchmarks/gpu_check_06.py [NOTEBOOK]

Runs on a GPU machine (the reference solutions then train on CUDA inside the sandbox) and
on CPU alike. Prints the device, the time of every check, the points, and the wall time of
the whole grading (zygote start included). Exits 1 unless the notebook gets full marks.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

# Before torch is imported anywhere: torch.cuda.is_available() asks NVML and does not initialise
# the CUDA driver in the sandbox, so probes forked from it can still use the GPU.
os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def describe_device() -> str:
    import torch

    if torch.cuda.is_available():
        return f"CUDA: {torch.cuda.get_device_name(0)} (torch {torch.__version__}, CUDA {torch.version.cuda})"
    return f"CPU only: {os.cpu_count()} cores (torch {torch.__version__}, {torch.get_num_threads()} threads)"


def main(argv: list[str]) -> int:
    notebook = Path(argv[0]) if argv else ROOT / "solutions" / "06_deep_learning.ipynb"
    started = time.monotonic()
    from graders.engine import runner
    from graders.engine.notebook import read_submission

    print(f"device: {describe_device()}", flush=True)
    timings: list[tuple[str, str, float, str]] = []
    original = getattr(runner.Grader, "_run_check", None)

    def timed(self, sandbox, ex, check, timeout):      # per-check wall time, for the report
        t0 = time.monotonic()
        failure = original(self, sandbox, ex, check, timeout)
        timings.append((ex.id, check.title, time.monotonic() - t0, "" if failure is None else failure.message))
        return failure

    if original is not None:      # an engine internal: without it, only the totals are reported
        runner.Grader._run_check = timed
    with runner.Grader() as grader:
        grader.prepare(["06_deep_learning"])
        result = grader.grade(read_submission(notebook))
    total = time.monotonic() - started
    if result.error:
        print(f"error: {result.error}")
        return 1
    for ex_id, title, seconds, message in timings:
        flag = "" if not message else f"  <- {message[:160]}"
        print(f"{seconds:7.2f} s  {ex_id:30s} {title[:60]}{flag}")
    per_exercise: dict[str, float] = {}
    for ex_id, _, seconds, _ in timings:
        per_exercise[ex_id] = per_exercise.get(ex_id, 0.0) + seconds
    print("\nper exercise:")
    for ex in result.exercises:
        print(f"  {ex.id:30s} {ex.points:5g}/{ex.max_points:<4g} {per_exercise.get(ex.id, 0.0):6.2f} s  {ex.status.value}")
    print(f"\npoints: {result.points:g}/{result.max_points:g}")
    print(f"grading the notebook: {result.seconds:.1f} s; whole run incl. imports and zygote start: {total:.1f} s")
    print(f"device: {describe_device()}")
    return 0 if result.points == result.max_points else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
