"""Sending submissions to the workers and collecting their reports (``grade-batch --broker``, the service).

A task's id is the caller's submission id, so a caller that restarts can find a result again with
``app.AsyncResult(submission_id)``. A task that failed on the worker (its hard time limit, an error in
Celery itself) comes back as a report with an ``error``, like a notebook local grading could not grade.
"""
from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import TypeVar

from celery import Celery
from celery.result import AsyncResult

from graders.engine import registry
from graders.engine.runner import SETUP_TIMEOUT

from .app import TASK_NAME, queue_for

STARTUP_SECONDS = 120.0     # a fresh pool process starts its zygote (the heavy imports) before grading
K = TypeVar("K")


def time_limit_for(module_id: str | None, time_scale: float = 1.0) -> float:
    """A hard limit no honest grading reaches: every time limit of the module added up, plus start-up.

    The engine already stops each cell and check at its own limit; this one only catches a grading
    that hangs outside them (a wedged sandbox), so a worker process is never lost to one submission."""
    try:
        spec = registry.load(module_id) if module_id else None
    except registry.UnknownModule:
        spec = None
    if spec is None:
        return STARTUP_SECONDS + SETUP_TIMEOUT
    setups = len(spec.exercises) if spec.isolated_answers else 1
    budget = setups * SETUP_TIMEOUT + sum(ex.cell_timeout + sum(c.timeout for c in ex.checks)
                                          for ex in spec.exercises)
    return round(STARTUP_SECONDS + budget * time_scale, 1)


def send_submission(app: Celery, submission_id: str, module: str | None, payload: Mapping,
                    *, task: str = TASK_NAME, routes: dict[str, str] | None = None) -> AsyncResult:
    """Queue one submission. ``payload``: the task's keyword arguments besides ``module_id``
    (``notebook``, and optionally ``path``, ``exercise``, ``time_scale``); JSON only."""
    scale = payload.get("time_scale") or 1.0
    return app.send_task(task, kwargs={"module_id": module, **payload}, task_id=str(submission_id),
                         queue=queue_for(module, routes), time_limit=time_limit_for(module, scale))


def failure_report(result: AsyncResult) -> dict:
    """A report for a task that ended without one (the caller fills in ``path`` and ``module``)."""
    exc = result.result
    name = type(exc).__name__
    if name == "TimeLimitExceeded":
        error = f"grading did not finish within the task's hard time limit ({exc})"
    else:
        error = f"internal grader error on the worker: {name}: {exc}"
    return {"path": "", "module": None, "exercises": [], "points": 0, "max_points": 0, "error": error}


def report_of(result: AsyncResult) -> dict | None:
    """The report of a finished task (a failure becomes an error report); None while it is pending."""
    if not result.ready():
        return None
    return result.result if result.successful() else failure_report(result)


def collect(pending: Mapping[K, AsyncResult], timeout: float | None = None, interval: float = 0.2,
            forget: bool = False) -> Iterator[tuple[K, dict]]:
    """Yield ``(key, report)`` as each task finishes, in the order they finish.

    Raises TimeoutError when ``timeout`` seconds pass with tasks still pending (they stay queued)."""
    waiting = dict(pending)
    deadline = None if timeout is None else time.monotonic() + timeout
    while waiting:
        for key, result in list(waiting.items()):
            report = report_of(result)
            if report is not None:
                del waiting[key]
                if forget:
                    result.forget()
                yield key, report
        if waiting:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"{len(waiting)} submissions still not graded after {timeout:g} s")
            time.sleep(interval)
