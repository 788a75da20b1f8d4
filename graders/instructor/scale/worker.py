"""The module ``celery -A`` loads on a grading host: the app on ``MLKATA_BROKER``, with the grading task.

    MLKATA_BROKER=redis://broker-host:6379/0 celery -A graders.instructor.scale.worker worker \\
        -Q mlkata -c 2 --loglevel INFO
"""
from __future__ import annotations

from . import tasks  # noqa: F401 - registers the grading task and the per-process Grader hooks
from .app import make_app

app = make_app()
