"""Grading a class against the least a Jupyter-based grader must do (issue 14).

For each module, a class of N submissions built from the learner notebook (exercises/<module>.ipynb):
a third correct (reference answers), a sixth untouched, the rest with one or two bank mistakes
(tests/modules/mistakes/<module>/). Measured in this one run:
- the floor of nbgrader's autograde, as the issue defines it: nbclient executes each submission's setup,
  answer and public example cells (the plain asserts under each answer) in a fresh Jupyter kernel, in
  notebook order, one submission after another, as nbgrader does before any hidden test would run. The
  check("...") cells are left out (they run this grader) and so are the lessons' demo cells (plots), so the
  floor is, if anything, low. The floor of setup and answer cells alone (stops 37-43's, the public examples
  left out too) is printed beside it, with its ratio, for comparison with those stops' figures;
- ``python -m graders grade-batch`` of the same submissions (every hidden check included), 2 workers;
- the class section: ``grade-batch`` with 1 and 2 workers on 100 submissions of every module
  (submissions/s, CPU seconds per submission from the children's rusage, second-worker efficiency).
Ratios are printed, never asserted. Sizes: MLKATA_BENCH_CLASS (default "02_math:12,05_evaluation:12,
06_deep_learning:12"; e.g. add 02_math:48) and MLKATA_BENCH_ROSTER (default 100; 0 skips it).
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
       "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}


def _answers(module: str) -> dict[str, str]:
    from graders.engine.notebook import read_submission

    return dict(read_submission(ROOT / "solutions" / f"{module}.ipynb").answers)


def _class(module: str, size: int) -> dict[str, nbformat.NotebookNode]:
    """size learner notebooks of one module: correct, untouched and mistaken ones (deterministic)."""
    reference = _answers(module)
    mistakes = sorted((ROOT / "tests" / "modules" / "mistakes" / module).glob("*.py"))
    release = nbformat.read(ROOT / "exercises" / f"{module}.ipynb", as_version=4)
    students = {}
    for i in range(size):
        kind = i % 6
        answers = {} if kind == 5 else dict(reference)
        if kind >= 2 and kind != 5 and mistakes:
            for path in mistakes[(i * 7) % len(mistakes)::13][:2]:
                answers[path.stem.split("__")[0]] = path.read_text()
        nb = nbformat.from_dict(json.loads(json.dumps(release)))
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and meta.get("grade_id") in answers:
                cell.source = answers[meta["grade_id"]]
        students[f"student{i:03d}"] = nb
    return students


def _write(submitted: Path, module: str, students: dict) -> None:
    for student, nb in students.items():
        folder = submitted / student / module
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{module}.ipynb")


def _cpu_seconds() -> float:
    """CPU seconds spent so far: the machine's busy time from /proc/stat where there is one (the sandboxes
    run in a box with its own pid namespace, and their time does not all reach this process's rusage of its
    children: 13 submissions counted 1.4 s each when the wall clock said about 4 s), else that rusage. The
    machine must be quiet for either to be the grader's alone."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(v) for v in fh.readline().split()[1:]]
        return (sum(fields[:3]) + sum(fields[5:8])) / os.sysconf("SC_CLK_TCK")   # all but idle and iowait
    except (OSError, ValueError, IndexError):
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime


def grade_batch_seconds(submitted: Path, workers: int) -> tuple[float, float]:
    """Wall and CPU seconds (all child processes) of one `grade-batch` run."""
    out = submitted.parent
    cpu, started = _cpu_seconds(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "graders", "grade-batch", str(submitted), "--workers", str(workers),
                    "--csv", str(out / "gradebook.csv"), "--json", str(out / "gradebook.json")],
                   cwd=out, env=ENV, check=True, capture_output=True, timeout=7200)
    seconds, used = time.perf_counter() - started, _cpu_seconds() - cpu
    # a figure is only worth printing if every submission was graded: an environment where the sandbox
    # cannot start grades nothing, fast (it once printed 40 submissions/s for 1,300 errors)
    broken = [s for s in json.loads((out / "gradebook.json").read_text())["submissions"] if s.get("error")]
    if broken:
        raise SystemExit(f"{len(broken)} submissions under {submitted} could not be graded, e.g. "
                         f"{broken[0]['student']}/{broken[0]['assignment']}: {broken[0]['error']}")
    return seconds, used


def floor_sources(nb, public: bool) -> list[str]:
    """The code cells of a submission that nbgrader's autograde runs before any hidden test, in notebook order:
    the setup and answer cells and, with ``public``, the public example under each answer (plain asserts,
    ``public_<exercise>``: the issue's "public-check cells"). Never the ``check("...")`` cells, which run this
    grader, nor the hidden-test cells; the lessons' demo cells (plots) are left out too, which keeps the floor
    low. The public examples use nothing the demo cells define."""
    from graders.engine.notebook import SETUP_TAG, nbgrader_meta, python_source

    sources = []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        grade_id = str(meta.get("grade_id") or "")
        if cell.cell_type == "code" and (SETUP_TAG in (cell.metadata.get("tags") or [])
                                         or (meta.get("solution") and grade_id)
                                         or (public and grade_id.startswith("public_"))):
            sources.append(python_source(cell.source))
    return sources


def kernel_floor_seconds(module: str, students: dict, public: bool = True) -> float:
    """nbclient: a fresh kernel per submission, executing its ``floor_sources`` (errors allowed)."""
    from nbclient import NotebookClient

    notebooks = [nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in floor_sources(nb, public)])
                 for nb in students.values()]
    started = time.perf_counter()
    for nb in notebooks:
        NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(ROOT)}}).execute()
    return time.perf_counter() - started


def _sizes() -> list[tuple[str, int]]:
    spec = os.environ.get("MLKATA_BENCH_CLASS", "02_math:12,05_evaluation:12,06_deep_learning:12")
    return [(m, int(n)) for m, n in (item.split(":") for item in spec.split(",") if item)]


def run() -> list[tuple[str, float]]:
    from graders.engine.registry import module_ids

    rows: list[tuple[str, float]] = [("load average (1 min) at start", os.getloadavg()[0])]
    present = set(module_ids())
    for module, size in _sizes():
        if module not in present:
            continue
        students = _class(module, size)
        with tempfile.TemporaryDirectory(prefix="mlkata-bench-class-") as work:   # answers of the reference
            submitted = Path(work) / "submitted"
            _write(submitted, module, students)
            floor = kernel_floor_seconds(module, students)
            answers_only = kernel_floor_seconds(module, students, public=False)
            batch, _ = grade_batch_seconds(submitted, workers=2)
        rows += [(f"{module} x{size}: kernels, setup+answers+public (s)", floor),
                 (f"{module} x{size}: kernels, setup+answers only (s)", answers_only),
                 (f"{module} x{size}: grade-batch, 2 workers (s)", batch),
                 (f"{module} x{size}: speed-up vs kernel floor (x)", floor / batch),
                 (f"{module} x{size}: ... vs setup+answers only (x)", answers_only / batch)]
    roster = int(os.environ.get("MLKATA_BENCH_ROSTER", "100"))
    if roster:
        with tempfile.TemporaryDirectory(prefix="mlkata-bench-roster-") as work:
            submitted = Path(work) / "submitted"
            for module in sorted(present):
                _write(submitted, module, _class(module, roster))
            total = roster * len(present)
            one, one_cpu = grade_batch_seconds(submitted, workers=1)
            two, _ = grade_batch_seconds(submitted, workers=2)
        rows += [(f"class: {total} submissions, {len(present)} modules", float(total)),
                 ("class: submissions/s, 2 workers", total / two),
                 ("class: CPU s per submission (1 worker, whole machine)", one_cpu / total),
                 ("class: second-worker efficiency (%)", 100 * (one / two - 1))]
    rows.append(("load average (1 min) at end", os.getloadavg()[0]))
    return rows


if __name__ == "__main__":
    for label, value in run():
        print(f"{label:52s} {value:9.2f}")
