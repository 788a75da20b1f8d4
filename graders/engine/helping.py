"""The checks of one exercise split between the two sides of a learner's grade (``parallel.py``).

Two exercises at a time keep both cores busy until the queue runs dry; then one side waits while the other
finishes its last exercise, however long that takes (02_math's bootstrap_ci: 1.6 s of four checks, the other
side idle for 1.1 s of it). Where the module allows it (``Module.parallel_checks``: no check of an exercise
reads what another left behind, in the scratch folder or in the child of its lane), the idle side takes the
unstarted checks of the other side's exercise, from the last one back, and runs each on its own twin; the
owner goes on from the first one forward, so every check runs once. A learner's ``check("<exercise>")`` of
one exercise that took long last time is split the same way from the start (``runner.SPLIT_WORTH``).

The exercise's result is put together by its owner in the checks' order, as alone: its gate, its notes and
every check's verdict are what one side would have given (a check's probe gets a fresh child, or its
lane's child on the side that runs it: the learner's function is called on copies of its inputs either
way). One exception, made good by the runner: a check the helper started under the full time limit before
an earlier check hung, which alone would have had the short limit after a timeout, is run again by the
owner under that limit.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import contextmanager
from typing import Generic, TypeVar

B = TypeVar("B")


class Shared(Generic[B]):
    """``count`` parts of one exercise (its checks, by index): ``run(box, i)`` for each, exactly once. The owner
    takes them from the front (:meth:`take`); a helper from the back, on its own box (:meth:`help`). The owner
    then waits for the helper's (:meth:`finish`), and an error of a part the helper ran is raised there, as it
    would have been had the owner run it."""

    def __init__(self, count: int, run: Callable[[B, int], None]):
        self._run = run
        self._front, self._back, self._helping = 0, count, 0
        self._error: BaseException | None = None
        self._changed = threading.Condition()

    def take(self) -> int | None:
        with self._changed:
            if self._front >= self._back or self._error is not None:
                return None
            self._front += 1
            return self._front - 1

    def left(self) -> bool:
        with self._changed:
            return self._front < self._back and self._error is None

    def help(self, box: B) -> None:
        while True:
            with self._changed:
                if self._front >= self._back or self._error is not None:
                    return
                self._back -= 1
                index = self._back
                self._helping += 1
            try:
                self._run(box, index)
            except BaseException as exc:   # the owner's to raise; an interrupt goes on here too
                with self._changed:
                    self._error = self._error or exc
                raise
            finally:
                with self._changed:
                    self._helping -= 1
                    self._changed.notify_all()

    def finish(self, failed: bool = False) -> None:
        """Wait for the parts the helper is running, and raise the error of one of them. ``failed``: the owner's
        own part raised; nothing more is handed out and nothing is waited for (the owner's error goes on)."""
        with self._changed:
            if failed:      # the results are dropped; the helper's check in flight ends on its own (or with
                self._back = self._front    # its box, which an interrupt closes): nobody waits for it
                return
            while self._helping:
                self._changed.wait()
            if self._error is not None:
                raise self._error


class Board(Generic[B]):
    """The exercises in progress whose checks may be shared: a side posts its own while it grades it
    (:meth:`posting`), and a side with no exercise left helps those (:meth:`help`) for as long as another
    side may still post one: the sides that will take exercises are counted in (:meth:`expect`) before any
    starts, and each counts itself out (:meth:`leave`) when the queue is empty, so that a side that finds
    nothing posted yet waits for the exercise the other side has just taken (a lone exercise's, too)."""

    def __init__(self):
        self._posted: list[Shared[B]] = []
        self._working = 0
        self._changed = threading.Condition()

    def expect(self, sides: int) -> None:
        with self._changed:
            self._working += sides

    def leave(self) -> None:
        with self._changed:
            self._working -= 1
            self._changed.notify_all()

    @contextmanager
    def posting(self, shared: Shared[B]):
        with self._changed:
            self._posted.append(shared)
            self._changed.notify_all()
        try:
            yield shared
        finally:
            with self._changed:
                self._posted.remove(shared)
                self._changed.notify_all()

    def help(self, box: B) -> None:
        while True:
            with self._changed:
                while (work := next((s for s in self._posted if s.left()), None)) is None and self._working:
                    self._changed.wait(0.05)     # a post, a removal or a side's leaving wakes it sooner
            if work is None:
                return
            try:
                work.help(box)
            except Exception:  # noqa: BLE001, S112 - a grader error: its owner raises it, in its own thread
                continue


def run_shared(count: int, run: Callable[[B, int], None], box: B, board: Board[B] | None) -> None:
    """``run(box, i)`` for i in ``range(count)``, in order, or shared through ``board`` (when there is one)
    with a side that has nothing else to do; returns once every part has run."""
    if board is None or count < 2:
        for i in range(count):
            run(box, i)
        return
    shared = Shared(count, run)
    with board.posting(shared):
        try:
            while (index := shared.take()) is not None:
                run(box, index)
        except BaseException:
            shared.finish(failed=True)
            raise
        shared.finish()
