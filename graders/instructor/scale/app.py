"""The Celery app of mlkata's graders: one broker URL in, every reliability setting in one place.

Why each setting:
- ``task_acks_late`` + ``task_reject_on_worker_lost``: a task is acknowledged only after its report is
  stored, so a worker that dies mid-grading leaves the message on the broker and another worker grades it;
- ``worker_prefetch_multiplier=1``: a worker holds only the submission it is grading, so a dead worker
  strands at most one per process and a slow notebook never queues others behind it;
- ``visibility_timeout``: on Redis, a message held by a worker that vanished (machine lost, SIGKILL of the
  whole worker) comes back after this many seconds; it must exceed the longest task's hard time limit, or a
  slow submission is graded twice (harmless: grading is deterministic, but wasted); live workers look for
  such messages every ``unacked_restore_interval`` seconds;
- ``worker_max_tasks_per_child``: each pool process (and its zygote) is replaced after N submissions, so
  memory that the heavy libraries leak cannot pile up over a whole class;
- results go to the same Redis (``result_backend``), as JSON only: no pickle crosses the network.
"""
from __future__ import annotations

import os

from celery import Celery

DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
DEFAULT_QUEUE = "mlkata"
JVM_QUEUE = "mlkata-jvm"
JVM_LIBRARIES = ("pyspark",)        # a module whose sandbox imports one of these needs a JVM on the host
TASK_NAME = "mlkata.grade_submission"


def env_routes(text: str | None = None) -> dict[str, str]:
    """``MLKATA_CELERY_ROUTES="07_data_engineering=mlkata-jvm,13_xai=gpu"``: module id -> queue overrides."""
    text = os.environ.get("MLKATA_CELERY_ROUTES", "") if text is None else text
    routes = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        module, _, queue = part.partition("=")
        if not queue.strip():
            raise ValueError(f"MLKATA_CELERY_ROUTES: {part!r} is not module=queue")
        routes[module.strip()] = queue.strip()
    return routes


def queue_for(module_id: str | None, routes: dict[str, str] | None = None) -> str:
    """The queue a module's submissions go to: an explicit route, else the JVM queue for modules whose
    sandbox loads a JVM library, else the default queue."""
    routes = env_routes() if routes is None else routes
    if module_id in routes:
        return routes[module_id]
    if module_id:
        from graders.engine import registry

        try:
            preload = registry.load(module_id).preload
        except Exception:  # noqa: BLE001 - an unknown module is reported by the worker that grades it
            return DEFAULT_QUEUE
        if any(name.split(".")[0] in JVM_LIBRARIES for name in preload):
            return JVM_QUEUE
    return DEFAULT_QUEUE


def make_app(broker: str | None = None, *, max_tasks_per_child: int | None = None,
             visibility_timeout: float | None = None, include: tuple[str, ...] = ()) -> Celery:
    """A Celery app on ``broker`` (default: ``MLKATA_BROKER``), with its results on the same Redis.

    ``include``: more task modules a worker imports (the grading service registers its own task there)."""
    broker = broker or os.environ.get("MLKATA_BROKER") or DEFAULT_BROKER
    if max_tasks_per_child is None:
        max_tasks_per_child = int(os.environ.get("MLKATA_MAX_TASKS_PER_CHILD", "100"))
    if visibility_timeout is None:
        visibility_timeout = float(os.environ.get("MLKATA_VISIBILITY_TIMEOUT", "3600"))
    app = Celery("mlkata", broker=broker, backend=broker, include=["graders.instructor.scale.tasks", *include])
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_max_tasks_per_child=max_tasks_per_child,
        task_default_queue=DEFAULT_QUEUE,
        task_serializer="json", result_serializer="json", accept_content=["json"],
        result_expires=7 * 24 * 3600,
        task_track_started=True,
        broker_transport_options={
            "visibility_timeout": visibility_timeout,
            # how often a live worker looks for messages a dead one held (kombu's default: ~100 s)
            "unacked_restore_interval": max(1.0, min(10.0, visibility_timeout / 4)),
            "unacked_restore_throttle": 1,
        },
        result_backend_transport_options={"visibility_timeout": visibility_timeout},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return app
