"""The grading service's task on a Celery worker: one stored payload (answer cells or a whole notebook).

A worker loads it with ``MLKATA_CELERY_INCLUDE=graders.service.celery_task`` (``mlkata worker`` sets that by
default). It calls :func:`.grading.grade_payload`, the function the in-process pool calls, with the worker
process's warm Grader, so a payload gets the report it would get from ``mlkata serve`` without a broker.
"""
from __future__ import annotations

from celery import shared_task

from graders.engine.trust import untrusted_grading
from graders.instructor.scale import tasks

from .grading import PayloadError, grade_payload

TASK_NAME = "mlkata.grade_payload"


@shared_task(name=TASK_NAME)
def grade_stored_payload(module_id: str, cells: dict | None = None, notebook: dict | None = None,
                         exercise: str | None = None) -> dict:
    try:
        with untrusted_grading():            # a class's submissions: other people's code
            return grade_payload(module_id, cells, notebook, exercise, grader=tasks.worker_grader())
    except PayloadError as exc:              # validated at the door; kept for payloads of older versions
        return {"module": module_id, "exercises": [], "points": 0, "max_points": 0, "error": str(exc)}
    except Exception:
        tasks._close_grader()                # a crash may have left the sandbox parent broken: a fresh one next
        raise                                # the service records the failure and retries once
