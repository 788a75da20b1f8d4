"""make bench: how much does grading cost compared with just running the answers?

Prints, measured in this one run:
- for each module, the wall time of grading solutions/<module>.ipynb from a cold start
  (new sandbox parent, heavy imports included) and warm (the same Grader grading it again);
- the wall time of running its setup and answer cells as a plain Python script
  (a fresh interpreter, imports included);
- their ratios;
- the cost of the box (submissions isolated with bubblewrap): the same gradings without it
  (``Grader(box=False)``), boxed and unboxed runs alternating, best of ``--repeat`` each.
Extra sections (e.g. batch grading against nbgrader) are the other files in this
folder named ``section_*.py``; each defines ``run() -> list[tuple[str, float]]``.
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graders.engine.notebook import read_submission  # noqa: E402
from graders.engine.runner import Grader  # noqa: E402


def plain_script_seconds(notebook: Path) -> float:
    sub = read_submission(notebook)
    source = "\n\n".join([src for _, src in sub.setup] + [src for _, src in sub.answers])
    # A folder of our own, removed afterwards: the script is the reference solution, which must not be
    # left lying in a shared /tmp (and each run would leave one more).
    with tempfile.TemporaryDirectory(prefix="mlkata-plain-") as folder:
        script = Path(folder) / "plain.py"
        script.write_text(source)
        started = time.perf_counter()
        subprocess.run([sys.executable, str(script)], check=True, capture_output=True)
        return time.perf_counter() - started


def grading_seconds(notebook: Path, box: bool | None = None) -> tuple[float, float, float]:
    started = time.perf_counter()
    with Grader(box=box) as grader:
        result = grader.grade_notebook(notebook)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        grader.grade_notebook(notebook)
        warm = time.perf_counter() - started
    assert result.error is None, result.error
    return cold, warm, result.points / max(result.max_points, 1)


def sandbox_start_seconds(repeat: int = 9) -> tuple[float, float]:
    """The box's own cost, without the grading around it: start a sandbox parent preloading numpy and
    run one cell, boxed and not, alternating; the medians."""
    from graders.engine.sandbox import Sandbox, Zygote

    times = {True: [], False: []}
    for _ in range(repeat):
        for boxed in (True, False):
            zygote = Zygote(["numpy"], box=None if boxed else False)
            started = time.perf_counter()
            with Sandbox(zygote) as sandbox:
                sandbox.exec_cell("a", "x = 1", 30)
            times[boxed].append(time.perf_counter() - started)
            zygote.close()
    return statistics.median(times[True]), statistics.median(times[False])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", help="module id (repeatable; default: every module)")
    parser.add_argument("--sections", action="store_true", help="also run the section_*.py benchmarks")
    parser.add_argument("--repeat", type=int, default=2, help="gradings per module with and without the box")
    args = parser.parse_args()
    from graders.engine.registry import module_ids
    from graders.engine.sandbox.box import unavailable

    print(f"{'notebook':34s} {'score':>6s} {'plain script':>13s} {'grade cold':>11s} {'ratio':>6s} "
          f"{'grade warm':>11s} {'ratio':>6s}")
    boxes = []
    for module_id in args.module or module_ids():
        notebook = ROOT / "solutions" / f"{module_id}.ipynb"
        script = plain_script_seconds(notebook)
        runs = {True: [], False: []}
        for _ in range(args.repeat):
            for boxed in (True, False):    # alternating, so a busy moment slows both alike
                runs[boxed].append(grading_seconds(notebook, box=None if boxed else False))
        cold, warm, score = (min(r[i] for r in runs[True]) for i in range(3))
        bare_cold, bare_warm = (min(r[i] for r in runs[False]) for i in range(2))
        boxes.append((notebook, cold, warm, bare_cold, bare_warm))
        print(f"{str(notebook.relative_to(ROOT)):34s} {score:6.0%} {script:11.2f} s {cold:9.2f} s "
              f"{cold / script:5.1f}x {warm:9.2f} s {warm / script:5.1f}x")
    print("plain script: a fresh python running the setup and answer cells (imports included);")
    print("cold: a new Grader (sandbox parent start, heavy imports); warm: the same Grader again.")
    reason = unavailable()
    print(f"== the box ({'bubblewrap' if reason is None else 'NOT AVAILABLE: ' + reason}): best of {args.repeat}")
    print(f"{'notebook':34s} {'cold, box':>10s} {'no box':>8s} {'cost':>6s} {'warm, box':>10s} {'no box':>8s} "
          f"{'cost':>6s}")
    total = ("all modules", *(sum(row[i] for row in boxes) for i in range(1, 5)))
    for name, cold, warm, bare_cold, bare_warm in [(str(b[0].relative_to(ROOT)), *b[1:]) for b in boxes] + [total]:
        print(f"{name:34s} {cold:8.2f} s {bare_cold:6.2f} s {cold / bare_cold - 1:+6.1%} "
              f"{warm:8.2f} s {bare_warm:6.2f} s {warm / bare_warm - 1:+6.1%}")
    box, bare = sandbox_start_seconds()
    print(f"{'start a sandbox parent (numpy), median of 9':52s} box {box:.3f} s, no box {bare:.3f} s "
          f"({box / bare - 1:+.1%})")
    if args.sections:
        for path in sorted(Path(__file__).parent.glob("section_*.py")):
            spec = importlib.util.spec_from_file_location(path.stem, path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            print(f"== {path.stem[len('section_'):]}")
            for label, value in module.run():
                print(f"{label:52s} {value:9.2f}")


if __name__ == "__main__":
    main()
