"""make bench: how much does grading cost compared with just running the answers?

Prints, measured in this one run:
- for each module, the wall time of grading solutions/<module>.ipynb from a cold start
  (new sandbox parent, heavy imports included) and warm (the same Grader grading it again);
- the wall time of running its setup and answer cells as a plain Python script
  (a fresh interpreter, imports included);
- their ratios.
Extra sections (e.g. batch grading against nbgrader) are the other files in this
folder named ``section_*.py``; each defines ``run() -> list[tuple[str, float]]``.
"""
from __future__ import annotations

import argparse
import importlib.util
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
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(source)
    started = time.perf_counter()
    subprocess.run([sys.executable, fh.name], check=True, capture_output=True)
    return time.perf_counter() - started


def grading_seconds(notebook: Path) -> tuple[float, float, float]:
    started = time.perf_counter()
    with Grader() as grader:
        result = grader.grade_notebook(notebook)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        grader.grade_notebook(notebook)
        warm = time.perf_counter() - started
    assert result.error is None, result.error
    return cold, warm, result.points / max(result.max_points, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", help="module id (repeatable; default: every module)")
    parser.add_argument("--sections", action="store_true", help="also run the section_*.py benchmarks")
    args = parser.parse_args()
    from graders.engine.registry import module_ids

    print(f"{'notebook':34s} {'score':>6s} {'plain script':>13s} {'grade cold':>11s} {'ratio':>6s} "
          f"{'grade warm':>11s} {'ratio':>6s}")
    for module_id in args.module or module_ids():
        notebook = ROOT / "solutions" / f"{module_id}.ipynb"
        script = plain_script_seconds(notebook)
        cold, warm, score = grading_seconds(notebook)
        print(f"{str(notebook.relative_to(ROOT)):34s} {score:6.0%} {script:11.2f} s {cold:9.2f} s "
              f"{cold / script:5.1f}x {warm:9.2f} s {warm / script:5.1f}x")
    print("plain script: a fresh python running the setup and answer cells (imports included);")
    print("cold: a new Grader (sandbox parent start, heavy imports); warm: the same Grader again.")
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
