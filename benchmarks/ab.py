"""A change's effect on grading speed: a git revision against this checkout, run after run, alternated.

    python benchmarks/ab.py REV [--modules 02_math,05_evaluation] [--what cold,mistakes,class] [--rounds 6]

Side A is REV (its files, ``git archive``d into a temporary folder), side B this checkout's working tree,
uncommitted changes included. Each side grades with a private folder of its own (``MLKATA_HOME``: drawn cases,
kept oracle outputs, timings), readied first by ``mlkata warm``, so neither reads what the other drew or kept.
The runs alternate A, B, A, B: this machine's speed drifts within the hour (issue 14's notes), and only runs
side by side in time compare. What is measured, per module:

- ``cold``: ``mlkata grade`` of the module's reference notebook in a fresh process (a learner's ``make grade
  NB=...``), wall seconds;
- ``mistakes``: the same, of the reference with every exercise's first bank mistake as its answer
  (``tests/modules/mistakes``): the learner's usual case, failures shrunk and explained;
- ``class``: ``mlkata grade-batch --workers 2`` of a class built as ``section_class.py`` builds it (a third
  correct, a sixth untouched, the rest with bank mistakes), wall seconds and the machine's busy CPU seconds
  (``/proc/stat``: the sandboxes run in a pid namespace of their own, out of reach of rusage).

Printed per module and measure: each side's median and range, B/A of the medians, and whether every run of
both sides gave the same results (every exercise's points and every check's status and mistake). Exit status 1
if not: a change that makes grading faster must not change a single verdict, nor leave one to chance. Ratios
are printed, never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests")]

from banks import bank, solution_notebook  # the mistake banks and the reference, as the tests read them
from section_class import _class, _cpu_seconds, _write  # the class bench's class and clock

from graders.engine.notebook import nbgrader_meta


def _mistakes_notebook(module: str) -> nbformat.NotebookNode:
    """The reference notebook with each exercise's first bank mistake (by file name) as its answer."""
    first: dict[str, str] = {}
    for entry in bank(module, "mistakes"):
        first.setdefault(entry.exercise, entry.source)
    nb = solution_notebook(module)
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and meta.get("grade_id") in first:
            cell.source = first[meta["grade_id"]]
    return nb


def _read(report: Path) -> tuple[list, str]:
    """What must not change, and the points it adds up to (all notebooks together). What must not change: per
    notebook (by its place in the folder), per exercise its points, per check its status and mistake. Not the
    messages: a speed budget's message quotes the times it measured."""
    data = json.loads(report.read_text())
    notebooks = data.get("notebooks", data.get("submissions", []))
    got, of = (sum(nb.get(key) or 0 for nb in notebooks) for key in ("points", "max_points"))
    points = f"{got:g}/{of:g}"
    out = []
    for nb in notebooks:
        where = nb.get("student") or Path(nb.get("path", "")).name
        out.append((where, nb.get("error"), [(ex["id"], ex["points"], [(c["status"], c.get("mistake"))
                                                                      for c in ex.get("checks", [])])
                                             for ex in nb.get("exercises", [])]))
    return sorted(out, key=lambda item: str(item[0])), points


class Side:
    """One side of the comparison: a source tree and a private folder, readied for the modules."""

    def __init__(self, name: str, tree: Path, home: Path):
        self.name, self.tree, self.home = name, tree, home

    def env(self) -> dict:
        # the tree's own graders first (the venv's editable install points at this checkout)
        return {**os.environ, "PYTHONPATH": str(self.tree), "MLKATA_HOME": str(self.home), "COLUMNS": "120"}

    def graders_folder(self) -> str:
        """Where this side's grading process imports the graders from (it must be its own tree), asked from
        outside the tree as the grades are run."""
        return subprocess.run([sys.executable, "-c", "import graders; print(graders.__path__[0])"], cwd=self.home,
                              env=self.env(), capture_output=True, text=True, check=True).stdout.strip()

    def mlkata(self, *args: str, cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "graders", *args], cwd=cwd, env=self.env(),
                              capture_output=True, text=True, timeout=3600, check=False)


def _timed(side: Side, args: list[str], cwd: Path) -> tuple[float, float]:
    cpu, started = _cpu_seconds(), time.perf_counter()
    done = side.mlkata(*args, cwd=cwd)
    seconds, busy = time.perf_counter() - started, _cpu_seconds() - cpu
    if done.returncode != 0:      # grade and grade-batch exit 0 whenever grading ran, whatever the points
        raise SystemExit(f"side {side.name}: mlkata {' '.join(args)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return seconds, busy


def _inputs(module: str, what: str, work: Path, class_size: int) -> Path:
    """The notebook (or class folder) a measure grades, written once for both sides."""
    if what == "class":
        folder = work / f"class-{module}" / "submitted"
        if not folder.exists():
            _write(folder, module, _class(module, class_size))
        return folder
    path = work / f"{what}-{module}.ipynb"
    if not path.exists():
        nb = _mistakes_notebook(module) if what == "mistakes" else solution_notebook(module)
        nbformat.write(nb, path)
    return path


def measure(sides: list[Side], modules: list[str], whats: list[str], rounds: int, work: Path,
            class_size: int) -> bool:
    same = True
    for module in modules:
        for what in whats:
            target = _inputs(module, what, work, class_size)
            walls: dict[str, list[float]] = {s.name: [] for s in sides}
            busy: dict[str, list[float]] = {s.name: [] for s in sides}
            verdicts: dict[str, list] = {s.name: [] for s in sides}
            points = ""
            for _ in range(rounds):
                for side in sides:
                    report = work / f"{side.name}.json"
                    if what == "class":
                        args = ["grade-batch", str(target), "--workers", "2", "--json", str(report)]
                    else:
                        args = ["grade", str(target), "--no-history", "--json", str(report)]
                    seconds, cpu = _timed(side, args, target.parent)
                    walls[side.name].append(seconds)
                    busy[side.name].append(cpu)
                    run, points = _read(report)
                    verdicts[side.name].append(run)
            # every run of either side gave the first run's verdicts: no change, and no verdict left to chance
            runs = [run for side in sides for run in verdicts[side.name]]
            agree = all(run == runs[0] for run in runs)
            same &= agree
            _print(f"{module} {what}", walls, busy if what == "class" else None, agree, points)
    return same


def _print(label: str, walls: dict, busy: dict | None, agree: bool, points: str) -> None:
    def line(name: str, values: dict) -> str:
        a, b = statistics.median(values["A"]), statistics.median(values["B"])
        spread = "  ".join(f"{side} {min(v):.2f}-{max(v):.2f}" for side, v in values.items())
        return f"{label}: {name} median A {a:.2f} s, B {b:.2f} s, B/A {b / a:.2f}  ({spread})"

    print(line("wall", walls))
    if busy is not None:
        print(line("busy CPU", busy))
    print(f"{label}: same results on both sides: {'yes' if agree else 'NO'} ({points} points)", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the git revision of side A (side B: this working tree)")
    parser.add_argument("--modules", default="02_math,05_evaluation")
    parser.add_argument("--what", default="cold,mistakes", help="cold, mistakes, class (comma-separated)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--class-size", type=int, default=12)
    args = parser.parse_args(argv)
    modules, whats = args.modules.split(","), args.what.split(",")
    work = Path(tempfile.mkdtemp(prefix="mlkata-ab-"))
    tree_a = work / "A"
    tree_a.mkdir()
    # the revision's files only: nothing is added to the repository (a worktree would be)
    archive = subprocess.run(["git", "archive", "--format=tar", args.rev], cwd=ROOT, capture_output=True, check=False)
    if archive.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        raise SystemExit(f"git archive {args.rev}: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(tree_a)], input=archive.stdout, check=True)
    try:
        sides = [Side("A", tree_a, work / "home-A"), Side("B", ROOT, work / "home-B")]
        for side in sides:
            side.home.mkdir()
            warmed = side.mlkata("warm", *modules, cwd=side.tree)
            if warmed.returncode != 0:
                raise SystemExit(f"side {side.name}: mlkata warm failed:\n{warmed.stderr[-2000:]}")
        for side in sides:
            print(f"side {side.name} grades with {side.graders_folder()}")
        print(f"A = {args.rev}, B = this working tree; {args.rounds} rounds, alternated", flush=True)
        return 0 if measure(sides, modules, whats, args.rounds, work, args.class_size) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
