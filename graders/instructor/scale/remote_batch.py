"""``grade-batch --broker``: the class's submissions graded by Celery workers, the same gradebook out."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from graders.engine.notebook import NotebookError, read_notebook, submission_from_notebook
from graders.engine.results import NotebookResult
from graders.render.json_report import notebook_dict

from ..batch import find_submissions
from .app import make_app
from .client import collect, send_submission


@dataclass(frozen=True)
class RemoteGraded:
    student: str
    assignment: str
    report: dict           # graders.render.json_report.notebook_dict, as the worker sent it


def grade_batch_remote(root: Path, broker: str, on_done=None, time_scale: float | None = None,
                       timeout: float | None = None) -> list[RemoteGraded]:
    """Send every submission under ``root`` as one task; ``on_done(graded)`` after each report arrives.

    A file that is not a readable notebook is reported here, as local grading reports it: it never
    reaches a worker."""
    app = make_app(broker)
    items = find_submissions(root)
    graded: list[RemoteGraded | None] = [None] * len(items)
    pending, modules = {}, {}
    batch = uuid.uuid4().hex[:12]

    def done(i: int, report: dict) -> None:
        student, assignment, path = items[i]
        report["path"] = report.get("path") or str(path)
        graded[i] = RemoteGraded(student, assignment, report)
        if on_done is not None:
            on_done(graded[i])

    try:
        for i, (_, _, path) in enumerate(items):
            try:
                nb = read_notebook(path)
            except NotebookError as exc:
                done(i, notebook_dict(NotebookResult(str(path), None, error=str(exc))))
                continue
            module = modules[i] = submission_from_notebook(nb, str(path)).module
            for cell in nb.cells:             # the grader reads sources and metadata: outputs (plots) stay here
                if cell.get("cell_type") == "code":
                    cell["outputs"] = []
            payload = {"notebook": nb, "path": str(path), "time_scale": time_scale}
            pending[i] = send_submission(app, f"mlkata-batch-{batch}-{i}", module, payload)
        for i, report in collect(pending, timeout=timeout, forget=True):
            if report.get("error") and report.get("module") is None:
                report["module"] = modules[i]        # a task that failed on the worker names no module
            done(i, report)
    finally:
        app.close()
    return graded
