"""Batch grading a class: nbgrader autograde against `python -m graders grade-batch`.

12 students x 02_math (4 correct, 2 untouched, 6 with one or two known mistakes
from the test bank), graded three ways in this one run:
- nbgrader autograde, default kernel execution (each submission run in a Jupyter
  kernel; the hidden cells call graders.instructor.score_cell.score);
- nbgrader autograde with the course config of `make course` (mlkata's sandbox
  instead of a kernel);
- grade-batch.
Points must be identical; the figures are wall-clock seconds and ratios.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
MODULE = "02_math"
ENV = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
PLAIN_CONFIG = "c = get_config()\nc.CourseDirectory.root = {root!r}\nc.CourseDirectory.course_id = 'mlkata'\n"


def _run(args, cwd):
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=True, capture_output=True, timeout=3600)
    return time.perf_counter() - started


def _class(release, solution) -> dict[str, nbformat.NotebookNode]:
    reference = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solution.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    mistakes = sorted((ROOT / "tests" / "mistakes" / MODULE).glob("*.py"))
    students = {}
    for i in range(12):
        answers = dict(reference)
        if 4 <= i < 6:
            answers = {}
        elif i >= 6:
            for path in mistakes[(i * 7) % len(mistakes)::13][:2]:
                answers[path.stem.split("__")[0]] = path.read_text()
        nb = nbformat.from_dict(json.loads(json.dumps(release)))
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in answers and cell.metadata["nbgrader"].get("solution"):
                cell.source = answers[gid]
        students[f"student{i:02d}"] = nb
    return students


def _gradebook_points(course: Path) -> dict:
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in gb.students:
            nb = gb.find_submission_notebook(MODULE, MODULE, student.id)
            for g in nb.grades:
                if g.name.startswith("test_"):
                    out[(student.id, g.name[5:])] = round(float(g.score), 6)
    return out


def run() -> list[tuple[str, float]]:
    from graders.instructor.course import build_course

    work = Path(tempfile.mkdtemp(prefix="mlkata-bench-"))
    kernel_course, sandbox_course = work / "kernel", work / "sandbox"
    for course in (kernel_course, sandbox_course):
        build_course(course, [MODULE])
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", MODULE, "--force"], cwd=course,
                       env=ENV, check=True, capture_output=True)
    (kernel_course / "nbgrader_config.py").write_text(PLAIN_CONFIG.format(root=str(kernel_course)))
    release = nbformat.read(sandbox_course / "release" / MODULE / f"{MODULE}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "solutions" / f"{MODULE}.ipynb", as_version=4)
    for student, nb in _class(release, solution).items():
        for course in (kernel_course, sandbox_course):
            folder = course / "submitted" / student / MODULE
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / f"{MODULE}.ipynb")
    nbgrader = [sys.executable, "-m", "nbgrader", "autograde", MODULE, "--force"]
    t_kernel = _run(nbgrader, kernel_course)
    t_sandbox = _run(nbgrader, sandbox_course)
    t_batch = _run([sys.executable, "-m", "graders", "grade-batch", str(sandbox_course / "submitted"),
                    "--csv", str(work / "gradebook.csv"), "--json", str(work / "gradebook.json")], work)
    ours = {(r["student"], r["exercise"]): round(float(r["points"]), 6)
            for r in csv.DictReader(open(work / "gradebook.csv"))}
    same = ours == _gradebook_points(kernel_course) == _gradebook_points(sandbox_course)
    return [("submissions graded", 12.0),
            ("nbgrader autograde, kernel execution (s)", t_kernel),
            ("nbgrader autograde, mlkata course config (s)", t_sandbox),
            ("python -m graders grade-batch (s)", t_batch),
            ("speed-up of grade-batch vs kernel execution (x)", t_kernel / t_batch),
            ("speed-up of grade-batch vs course config (x)", t_sandbox / t_batch),
            ("identical points in all three (1 = yes)", float(same))]
