"""Who grades the queued submissions: a Dispatcher hands submission ids to graders.

The default :class:`PoolDispatcher` runs worker threads inside the service (no broker to install), each
with its own warm Grader (one sandbox parent per worker; every submission runs in a fresh sandbox forked
from it), as ``grade-batch`` does. The queue in memory only carries ids: the truth is the store, so a
restart re-reads every submission still ``queued`` or cut short while ``running`` (:meth:`Store.recover`).
``--broker redis://...`` selects the Celery dispatcher instead (item 5 of issue 18).
"""
from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from typing import Protocol

from graders.engine.runner import Grader
from graders.engine.trust import UNTRUSTED_ENV

from .config import ServiceConfig
from .grading import CRASH, PayloadError, grade_payload
from .store import Store


class Dispatcher(Protocol):
    def start(self) -> None: ...

    def submit(self, submission_id: int) -> None: ...

    def stop(self) -> None: ...


def make_dispatcher(store: Store, config: ServiceConfig, broker: str | None = None) -> Dispatcher:
    if broker:
        from .celery_dispatch import CeleryDispatcher  # item 5 of issue 18; imports celery only when asked

        return CeleryDispatcher(store, config, broker)
    return PoolDispatcher(store, config)


class PoolDispatcher:
    """Worker threads grading in this process; ``grade`` and ``make_grader`` are replaceable in tests."""

    def __init__(self, store: Store, config: ServiceConfig, grade: Callable = grade_payload,
                 make_grader: Callable[[], Grader | None] | None = None):
        self.store, self.config, self.grade = store, config, grade
        self.make_grader = make_grader or self._warm_grader
        self.queue: queue.Queue[int | None] = queue.Queue()
        self.threads: list[threading.Thread] = []

    def _warm_grader(self) -> Grader:
        grader = Grader()
        grader.prepare(self.config.modules)
        return grader

    def start(self) -> None:
        # every worker grades other people's code; set once for the whole process (os.environ is shared
        # by the threads, so a per-call context manager would race)
        os.environ[UNTRUSTED_ENV] = "1"
        for sid in self.store.recover(self.config.max_attempts):
            self.queue.put(sid)
        for n in range(self.config.workers):
            thread = threading.Thread(target=self._work, name=f"mlkata-grader-{n}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def submit(self, submission_id: int) -> None:
        self.queue.put(submission_id)

    def stop(self) -> None:
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join(timeout=30)
        self.threads.clear()

    def _work(self) -> None:
        grader = None
        try:
            while (sid := self.queue.get()) is not None:
                if not self.store.claim(sid):
                    continue                        # graded already, or another worker has it
                grader = grader or self.make_grader()
                if not self._grade_one(sid, grader):
                    _close(grader)                  # a crash or hang may have left the sandbox parent broken
                    grader = None
        finally:
            _close(grader)

    def _grade_one(self, sid: int, grader) -> bool:
        """Grade ``sid`` under the time limit; False when the grading crashed or hung (recorded, retried).

        The grading runs in this worker thread, never in a thread of its own: the sandbox parents die with
        the thread that started them (PR_SET_PDEATHSIG follows the thread), so a per-grading thread would
        kill the warm ones after every submission. A timer enforces the limit by closing the grader, which
        ends the sandbox the grading waits on."""
        payload, timed_out = self.store.payload(sid), threading.Event()

        def expire():
            timed_out.set()
            _close(grader)

        timer = threading.Timer(self.config.timeouts.grading_s, expire)
        timer.daemon = True
        timer.start()
        result, crash = None, None
        try:
            result = self.grade(payload["module"], payload.get("cells"), payload.get("notebook"),
                                payload.get("exercise"), grader=grader)
        except PayloadError as exc:                 # validated at the door; kept for payloads of older versions
            result = {"module": payload["module"], "exercises": [], "points": 0, "max_points": 0, "error": str(exc)}
        except Exception as exc:  # noqa: BLE001 - recorded as a crashed grading, never lost
            crash = f"{CRASH}: {exc!r}"
        finally:
            timer.cancel()
        if timed_out.is_set():
            result, crash = None, f"grading timed out after {self.config.timeouts.grading_s:g} s"
        if result is not None and not str(result.get("error") or "").startswith(CRASH):
            self.store.finish(sid, result)
            return True
        if self.store.fail(sid, crash or result["error"], self.config.max_attempts):
            self.queue.put(sid)
        return False


def _close(grader) -> None:
    if grader is not None:
        try:
            grader.close()
        except Exception:  # noqa: BLE001 - closing a broken sandbox parent must not stop the worker
            pass
