"""Grading a whole class: nbgrader's ``submitted/<student>/<assignment>/*.ipynb`` layout.

Heavy libraries are imported once per worker (one zygote each) and every
submission gets a fresh sandbox forked from it, so students never share state.
Workers are threads: each spends its time waiting on its own sandbox process.
"""
from __future__ import annotations

import csv
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from graders.engine.notebook import declared_module
from graders.engine.results import NotebookResult
from graders.engine.runner import Grader
from graders.engine.trust import untrusted_grading
from graders.render.json_report import notebook_dict


@dataclass(frozen=True)
class Graded:
    student: str
    assignment: str
    result: NotebookResult

    @property
    def report(self) -> dict:
        """The JSON report, the form remote grading (``graders.instructor.scale``) returns too."""
        return notebook_dict(self.result)


def find_submissions(root: Path) -> list[tuple[str, str, Path]]:
    root = Path(root)
    if (root / "submitted").is_dir():
        root = root / "submitted"
    found = []
    for student in sorted(p for p in root.iterdir() if p.is_dir()):
        for assignment in sorted(p for p in student.iterdir() if p.is_dir()):
            for nb in sorted(assignment.glob("*.ipynb")):
                found.append((student.name, assignment.name, nb))
    return found


def grade_batch(root: Path, workers: int | None = None, on_done=None, time_scale: float | None = None) -> list[Graded]:
    """Grade every submission under ``root``; ``on_done(graded)`` is called after each one."""
    items = find_submissions(root)
    workers = max(1, min(workers or os.cpu_count() or 1, len(items) or 1))
    # the modules as the grader will read them (metadata, else the file name), with json alone: an
    # unreadable notebook names none, and is reported when its worker reads it
    modules = sorted({module for _, _, path in items if (module := declared_module(path))})
    local = threading.local()
    graders: list[Grader] = []
    lock = threading.Lock()

    def grader() -> Grader:
        if not hasattr(local, "grader"):
            local.grader = Grader(time_scale=time_scale)
            # its sandbox parent imports the learners' libraries while this thread imports the specs
            # (1-2 s each side); a class of untouched notebooks closes it unused, at once
            local.grader.prepare(modules, launch=True)
            with lock:
                graders.append(local.grader)
        return local.grader

    def grade_one(item) -> Graded:
        student, assignment, path = item
        try:
            result = grader().grade_paths([path]).notebooks[0]
        except Exception as exc:  # noqa: BLE001 - one broken submission never stops the batch
            result = NotebookResult(str(path), None, error=f"internal grader error: {exc!r}")
        graded = Graded(student, assignment, result)
        if on_done is not None:
            on_done(graded)
        return graded

    try:
        with untrusted_grading(), ThreadPoolExecutor(max_workers=workers) as pool:   # other people's code
            return list(pool.map(grade_one, items))
    finally:
        for g in graders:
            g.close()


FIELDS = ["student", "assignment", "module", "exercise", "points", "max_points", "status"]


def gradebook_rows(graded) -> list[dict]:
    """One row per exercise, from each submission's JSON report (local ``Graded`` or remote ``RemoteGraded``),
    so that local and remote grading write byte-identical gradebooks."""
    rows = []
    for g in graded:
        r = g.report
        if r.get("error"):
            rows.append({"student": g.student, "assignment": g.assignment, "module": r.get("module") or "",
                         "exercise": "", "points": 0, "max_points": 0, "status": f"error: {r['error']}"})
        for ex in r["exercises"]:
            rows.append({"student": g.student, "assignment": g.assignment, "module": r["module"],
                         "exercise": ex["id"], "points": ex["points"], "max_points": ex["max_points"],
                         "status": ex["status"]})
    return rows


def write_gradebook(graded, csv_path: Path, json_path: Path) -> None:
    reports = [g.report for g in graded]
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(gradebook_rows(graded))
    payload = {"submissions": [{"student": g.student, "assignment": g.assignment, **r}
                               for g, r in zip(graded, reports)],
               "points": round(sum(r["points"] for r in reports), 6),
               "max_points": round(sum(r["max_points"] for r in reports), 6)}
    Path(json_path).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
