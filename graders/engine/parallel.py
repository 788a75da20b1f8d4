"""Two exercises of one notebook graded at once, for a learner's own grade (``make grade NB=...``, ``check()``).

A learner grading one notebook on a 2-core machine uses one core: the sandbox computes while the grading
process waits, then the grading process judges while the sandbox waits. The exercises are independent (each
check already runs in a child of the sandbox, seeded afresh, that cannot change what the next one sees), so
once the cells have run the sandbox forks two *twins* holding its namespace (``Sandbox.twin``: a fork, the
cells not run again) and two threads take exercises from one queue, each probing its own twin. An exercise
is graded whole by one of them, its checks in order: its lane (``runner._lane``), its "after a timeout" rule
and its gate stay what they are alone, and so does its result. The sandbox itself only forks them: a twin
dies with the process it was forked from, so learner code that kills its parent process takes down one twin
(its check fails as it would alone, and a fresh sandbox replays the cells for the next), never the other
side's exercise.

A module whose every answer is graded in a fresh sandbox of its own (``Module.isolated_answers``: 01_python)
has no namespace to twin: :func:`grade_isolated` starts each exercise's sandbox on one of the two sides
instead, the same way otherwise.

Only where the module says its probes allow it (``Module.parallel_exercises``: no service another probe
could meet), and only where nothing else is graded at the same time (a class batch grades notebooks side by
side instead: ``concurrent.py``). An exercise with a verdict on a time measured inside a probe (a latency
budget, an O(1) ratio) says so (``Exercise.alone``) and is graded first, with nothing beside it; the others
then go two at a time. Speed budgets race the learner's code against a reference round by round, so a
neighbour slows both alike (``yardstick.py``); they take turns on the one reference sandbox.
"""
from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from .helping import Board
from .sandbox import Sandbox

T = TypeVar("T")


def default_workers() -> int:
    """Two where there are two cores or more: a third notebook, or a third exercise, would only queue."""
    return max(1, min(2, os.cpu_count() or 1))


def grade_exercises(sandbox: Sandbox, exercises: Sequence[T], grade: Callable[[Sandbox, T], object], workers: int,
                    cost: Callable[[T], float], probes: Callable[[T], bool],
                    alone: Callable[[T], bool] = lambda ex: False, board: Board | None = None,
                    split: Callable[[T], bool] = lambda ex: False) -> list:
    """``[grade(sandbox, ex) for ex in exercises]``, with up to two exercises at once when ``workers`` allows
    and at least two of them will probe the sandbox (``probes``) and may have a neighbour (not ``alone``).
    Those graded alone go first, one after another on the sandbox itself; then the others, the costliest
    first (``cost``: what it took last time, or what its author expects), so that one long exercise does not
    start last while the other side has nothing left. With a ``board`` (where ``grade`` posts the checks of
    the exercise it grades: helping.py), a side with no exercise left then runs the other side's unstarted
    checks on its own twin; so does a lone exercise's other side, where ``split`` says it is worth two twins
    (one that took long last time). Results come back in the notebook's order."""
    busy = [ex for ex in exercises if probes(ex)]
    shared = [ex for ex in busy if not alone(ex)]
    lone_split = board is not None and len(shared) == 1 and split(shared[0])
    if workers < 2 or (len(shared) < 2 and not lone_split):
        return [grade(sandbox, ex) for ex in exercises]
    done: dict[int, object] = {id(ex): grade(sandbox, ex) for ex in busy if alone(ex)}   # nothing else in flight
    left = sandbox.twin()
    right = sandbox.twin() if left is not None else None
    if right is None:
        if left is not None:
            left.close()
        return [done[id(ex)] if id(ex) in done else grade(sandbox, ex) for ex in exercises]
    with left, right:
        done.update(_two_at_once(shared, cost, lambda ex: grade(left, ex), lambda ex: grade(right, ex), right.close,
                                 board, (left, right)))
    # the exercises that probe nothing (a missing cell, the untouched stub) are judged here at once
    return [done[id(ex)] if id(ex) in done else grade(sandbox, ex) for ex in exercises]


def grade_isolated(exercises: Sequence[T], grade: Callable[[T, Callable[[Sandbox], None]], object], workers: int,
                   cost: Callable[[T], float], alone: Callable[[T], bool] = lambda ex: False) -> list:
    """``[grade(ex, opened) for ex in exercises]`` for a module that grades each answer in a sandbox of its own:
    ``grade`` starts that sandbox and hands it to ``opened``, so that an interrupt or a grader error on one side
    can end the other side's probe in flight. Two at a time where ``workers`` allows, as :func:`grade_exercises`
    does: those graded ``alone`` first, one after another; then the others, the costliest first. Results come
    back in the notebook's order."""
    shared = [ex for ex in exercises if not alone(ex)]
    if workers < 2 or len(shared) < 2:
        return [grade(ex, _ignore) for ex in exercises]
    done: dict[int, object] = {id(ex): grade(ex, _ignore) for ex in exercises if alone(ex)}
    right: list[Sandbox] = []
    ended = threading.Event()

    def opened_right(box: Sandbox) -> None:
        right.append(box)
        if ended.is_set():          # opened just as the other side failed: end it too
            box.close()

    def end_right() -> None:
        ended.set()
        for box in right:
            box.close()

    done.update(_two_at_once(shared, cost, lambda ex: grade(ex, _ignore), lambda ex: grade(ex, opened_right),
                             end_right))
    return [done[id(ex)] for ex in exercises]


def _ignore(box: Sandbox) -> None:
    return None


def _two_at_once(exercises: Sequence[T], cost: Callable[[T], float], left: Callable[[T], object],
                 right: Callable[[T], object], end_right: Callable[[], None], board: Board | None = None,
                 boxes: tuple[Sandbox, Sandbox] | None = None) -> dict[int, object]:
    """``left(ex)`` or ``right(ex)`` for each exercise, both sides taking the costliest left from one queue
    (the right one on a thread of its own); with a ``board``, a side that finds the queue empty then helps
    the other, on its box of ``boxes`` (helping.py). On an interrupt or a grader error, nothing more is handed
    out and ``end_right`` ends the right side's probe in flight before the error goes on."""
    queue = deque(sorted(exercises, key=lambda ex: -cost(ex)))     # stable: equal costs keep the notebook's order
    lock = threading.Lock()
    done: dict[int, object] = {}
    if board is not None:
        board.expect(2)     # before either starts: a side must not stop helping before the other has begun

    def work(side: Callable[[T], object], box: Sandbox | None) -> None:
        try:
            while True:
                with lock:
                    if not queue:
                        break
                    ex = queue.popleft()
                done[id(ex)] = side(ex)
        finally:
            if board is not None:
                board.leave()
        if board is not None:
            board.help(box)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlkata-twin") as pool:
        other = pool.submit(work, right, boxes[1] if boxes else None)
        try:
            work(left, boxes[0] if boxes else None)
            other.result()      # the other side's grader error, raised here; an interrupt may arrive while waiting
        except BaseException:
            with lock:
                queue.clear()
            end_right()
            raise
    return done
