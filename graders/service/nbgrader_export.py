"""The service's grades as an nbgrader gradebook (nbgrader's own API, a SQLite file).

Laid out like the course `mlkata course` builds (graders/instructor/course.py, hidden_cells.py): course id
``mlkata``, one assignment per module named after it, holding one notebook of the same name, whose graded
cells are ``test_<exercise>`` worth the exercise's points. Each student with a graded result in a module
gets a submission of that assignment, with the best points per exercise as the cell's auto score, so
``nbgrader export``, formgrader and `mlkata course` read it like a gradebook nbgrader filled itself.
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from .progress import best_results

COURSE_ID = "mlkata"                 # c.CourseDirectory.course_id in the generated nbgrader_config.py
_PATH_LOCK = threading.Lock()


def export_nbgrader(path: Path, exercises: dict[str, list[tuple[str, float]]], roster: list[str],
                    rows: list[dict]) -> Path:
    """Write (or update) the gradebook at ``path``; ``exercises``: module -> [(id, max points)]."""
    from nbgrader.api import Gradebook

    best = best_results(rows)
    latest: dict[tuple[str, str], object] = {}
    for row in rows:
        if row["status"] == "graded" and row["created"] is not None:
            key = (row["student"], row["module"])
            latest[key] = max(latest.get(key, row["created"]), row["created"])
    with _alembic_on_path(), Gradebook(f"sqlite:///{Path(path).resolve()}", course_id=COURSE_ID) as gb:
        for student in roster:
            gb.update_or_create_student(student)
        for module, items in exercises.items():
            gb.update_or_create_assignment(module)
            gb.update_or_create_notebook(module, module)
            for exercise, points in items:
                gb.update_or_create_grade_cell(f"test_{exercise}", module, module, max_score=points,
                                               cell_type="code")
            for student in roster:
                if (student, module) not in latest:
                    continue
                timestamp = latest[(student, module)].replace(tzinfo=None)   # nbgrader stores naive UTC
                gb.update_or_create_submission(module, student, timestamp=timestamp)
                for exercise, _ in items:
                    grade = gb.find_grade(f"test_{exercise}", module, module, student)
                    grade.auto_score = best[(student, module, exercise)]["points"] \
                        if (student, module, exercise) in best else 0.0
                gb.db.commit()
    return Path(path)


class _alembic_on_path:
    """nbgrader stamps a new gradebook by running ``alembic`` from PATH: this Python's scripts first
    (as `mlkata course` does), restored afterwards; a lock, since PATH is process-wide."""

    def __enter__(self):
        _PATH_LOCK.acquire()
        self.saved = os.environ.get("PATH", "")
        os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), self.saved])

    def __exit__(self, *exc):
        os.environ["PATH"] = self.saved
        _PATH_LOCK.release()
