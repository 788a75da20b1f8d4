"""``mlkata serve --broker redis://...``: the service's submissions graded by Celery workers (issue 18, item 5).

The store stays the truth, as with the in-process pool: a submission is claimed (``running``, one attempt
more) when it is sent, and a collector thread writes each worker's report back through the same
``finish``/``fail`` bookkeeping (mistakes table, attempts, one retry). A task's id is the course and the
submission id (``ml-2026-17``; the retry ``ml-2026-17-retry``), so a restarted service finds results that
arrived while it was down, and two courses (or a fresh store) on one Redis never read each other's results.
The broker keeps the task until a worker has stored its report (late acknowledgement, ``graders/instructor/scale/app.py``).
"""
from __future__ import annotations

import threading

from graders.instructor.scale.app import make_app
from graders.instructor.scale.client import report_of, send_submission

from .config import ServiceConfig
from .grading import CRASH
from .store import Store

INCLUDE = "graders.service.celery_task"      # what workers need in MLKATA_CELERY_INCLUDE
POLL_S = 0.2


class CeleryDispatcher:
    def __init__(self, store: Store, config: ServiceConfig, broker: str):
        self.store, self.config, self.broker = store, config, broker
        self.app = None
        self.pending: dict[int, object] = {}           # submission id -> AsyncResult
        self.lock, self.stopping = threading.Lock(), threading.Event()
        self.collector: threading.Thread | None = None

    def task_id(self, sid: int, attempt: int) -> str:
        base = f"{self.config.course}-{sid}"
        return base if attempt <= 1 else f"{base}-retry" + ("" if attempt == 2 else str(attempt - 1))

    def start(self) -> None:
        from .celery_task import TASK_NAME

        self.task_name = TASK_NAME
        self.app = make_app(self.broker, include=(INCLUDE,))
        # sent before a stop: still on the broker or graded meanwhile; PENDING means no worker ever took it
        # (or the send itself was cut short), so it is sent again (a duplicate grades the same, harmlessly)
        for sid, attempt in self.store.running_attempts():
            result = self.app.AsyncResult(self.task_id(sid, attempt))
            if result.state == "PENDING":
                result = self._send(sid, attempt)
            with self.lock:
                self.pending[sid] = result
        for sid in self.store.queued():
            self.submit(sid)
        self.collector = threading.Thread(target=self._collect, name="mlkata-celery-collector", daemon=True)
        self.collector.start()

    def submit(self, submission_id: int) -> None:
        if not self.store.claim(submission_id):
            return                                      # graded already, or sent already
        attempt = self.store.get(submission_id)["attempts"]
        result = self._send(submission_id, attempt)
        with self.lock:
            self.pending[submission_id] = result

    def _send(self, sid: int, attempt: int):
        payload = self.store.payload(sid)
        module = payload.pop("module")
        kwargs = {k: v for k, v in payload.items() if v is not None}
        return send_submission(self.app, self.task_id(sid, attempt), module, kwargs, task=self.task_name)

    def stop(self) -> None:
        self.stopping.set()
        if self.collector is not None:
            self.collector.join(timeout=30)
            self.collector = None
        if self.app is not None:
            self.app.close()

    def _collect(self) -> None:
        while not self.stopping.wait(POLL_S):
            with self.lock:
                waiting = list(self.pending.items())
            for sid, result in waiting:
                try:
                    report = report_of(result)
                except Exception:  # noqa: BLE001 - the broker is away for a moment: ask again next round
                    report = None
                if report is None:
                    continue
                with self.lock:
                    self.pending.pop(sid, None)
                self._record(sid, report)
                result.forget()

    def _record(self, sid: int, report: dict) -> None:
        error = str(report.get("error") or "")
        if not error.startswith(CRASH) and "hard time limit" not in error:
            self.store.finish(sid, report)
        elif self.store.fail(sid, error, self.config.max_attempts):
            self.submit(sid)
