"""What a Celery worker runs: one grading task per submission, one warm Grader per worker process.

The Grader (and its zygote, the sandbox parent with the heavy imports) is made when the pool process
starts (``worker_process_init``) and closed when Celery recycles that process after
``worker_max_tasks_per_child`` tasks (``worker_process_shutdown``). Learner code never runs in the worker
process itself: it runs in a sandbox forked from the zygote, exactly as in ``mlkata grade``.
"""
from __future__ import annotations

import os

import nbformat
from celery import shared_task
from celery.signals import worker_process_init, worker_process_shutdown

from graders.engine.notebook import submission_from_notebook
from graders.engine.results import NotebookResult
from graders.engine.runner import Grader
from graders.engine.trust import untrusted_grading
from graders.render.json_report import notebook_dict

from .app import TASK_NAME

WARM_ENV = "MLKATA_WARM_MODULES"    # comma-separated modules whose libraries a worker imports at start

_grader: Grader | None = None


def warm_modules() -> list[str]:
    return [m.strip() for m in os.environ.get(WARM_ENV, "").split(",") if m.strip()]


def worker_grader() -> Grader:
    """This process's Grader (made on first use outside a Celery pool, e.g. ``--pool solo``)."""
    global _grader
    if _grader is None:
        _grader = Grader()
        modules = warm_modules()
        if modules:
            _grader.prepare(modules)
            _grader.warm()
    return _grader


@worker_process_init.connect
def _start_grader(**_) -> None:
    worker_grader()


@worker_process_shutdown.connect
def _close_grader(**_) -> None:
    global _grader
    if _grader is not None:
        _grader.close()
        _grader = None


def grade_notebook_json(module_id: str | None, notebook: dict, path: str = "<notebook>",
                        exercise: str | None = None, time_scale: float | None = None) -> dict:
    """The JSON report (``graders.render.json_report``) of one notebook sent as JSON."""
    try:
        sub = submission_from_notebook(nbformat.from_dict(notebook), path)
    except Exception as exc:  # noqa: BLE001 - a malformed payload is this submission's error, not the worker's
        return notebook_dict(NotebookResult(path, module_id, error=f"not a valid notebook: {exc}"))
    if module_id and sub.module and sub.module != module_id:
        return notebook_dict(NotebookResult(path, sub.module, error=(
            f"this notebook is for {sub.module}, but it was sent to be graded as {module_id}")))
    grader = worker_grader()
    before = grader.time_scale
    if time_scale is not None:
        grader.time_scale = time_scale
    try:
        with untrusted_grading():            # a class's submissions: other people's code
            result = grader.grade(sub, only=[exercise] if exercise else None)
    except Exception as exc:  # noqa: BLE001 - the same rule as local grade-batch: one broken file, one error
        result = NotebookResult(path, sub.module, error=f"internal grader error: {exc!r}")
    finally:
        grader.time_scale = before
    return notebook_dict(result)


@shared_task(name=TASK_NAME)
def grade_submission(module_id: str | None, notebook: dict, path: str = "<notebook>",
                     exercise: str | None = None, time_scale: float | None = None) -> dict:
    return grade_notebook_json(module_id, notebook, path, exercise, time_scale)
