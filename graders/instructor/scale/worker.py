"""The module ``celery -A`` loads on a grading host: the app on ``MLKATA_BROKER``, with the grading task.

    MLKATA_BROKER=redis://broker-host:6379/0 celery -A graders.instructor.scale.worker worker \\
        -Q mlkata -c 2 --loglevel INFO

``MLKATA_CELERY_INCLUDE`` (comma-separated module names) adds task modules, e.g. the grading service's.
"""
from __future__ import annotations

import os

from . import tasks  # noqa: F401 - registers the grading task and the per-process Grader hooks
from .app import make_app

app = make_app(include=tuple(m.strip() for m in os.environ.get("MLKATA_CELERY_INCLUDE", "").split(",") if m.strip()))
