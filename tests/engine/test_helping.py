"""The checks of one exercise shared between the two sides of a learner's grade (engine/helping.py): each runs
exactly once, the owner from the first forward and the helper from the last back; errors reach the owner;
and what matters most, a module that allows it (``Module.parallel_checks``) gets exactly the results of one
exercise at a time, mistaken answers included."""
from __future__ import annotations

import dataclasses
import os
import sys
import threading
import time

import pytest
from banks import bank, submission

from graders.engine import registry
from graders.engine.helping import Board, Shared, run_shared
from graders.engine.parallel import grade_exercises
from graders.engine.runner import Grader
from graders.engine.sandbox import Sandbox
from graders.engine.spec import Module

sys.path.insert(0, os.path.dirname(__file__))
from test_parallel import TOY, FakeBox, _summary, toy  # noqa: F401 - toy: the fixture


def _record(ran: list, lock: threading.Lock, gate: threading.Event | None = None):
    def run(box, i):
        if i == 0 and gate is not None:
            assert gate.wait(20), "nobody helped"        # the owner's first part waits for the helper's first
        elif gate is not None:
            gate.set()
        with lock:
            ran.append((box, i))
    return run


def test_without_a_board_the_parts_run_in_order_on_the_owners_box():
    ran, lock = [], threading.Lock()
    run_shared(4, _record(ran, lock), "box", None)
    assert ran == [("box", 0), ("box", 1), ("box", 2), ("box", 3)]


def test_a_helper_takes_parts_from_the_back_and_each_part_runs_exactly_once():
    ran, lock, gate, board = [], threading.Lock(), threading.Event(), Board()
    owner = threading.Thread(target=run_shared, args=(6, _record(ran, lock, gate), "owner", board))
    owner.start()
    deadline = time.monotonic() + 10
    while not gate.is_set() and time.monotonic() < deadline:     # help as soon as it is posted
        board.help("helper")
    owner.join(20)
    assert not owner.is_alive()
    assert sorted(i for _, i in ran) == list(range(6))
    helped = [i for box, i in ran if box == "helper"]
    owned = [i for box, i in ran if box == "owner"]
    assert helped and helped == sorted(helped, reverse=True) and helped[0] == 5     # from the last one back
    assert owned == sorted(owned) and owned[0] == 0 and max(owned) < min(helped)


def test_a_helpers_error_is_raised_by_the_owner_once_its_own_parts_are_done():
    board, helper_failed, ran = Board(), threading.Event(), []

    def run(box, i):
        if box == "helper":
            helper_failed.set()
            raise RuntimeError("the twin stopped answering")
        if i == 0:
            assert helper_failed.wait(20)
        ran.append(i)

    errors = []

    def owner():
        try:
            run_shared(5, run, "owner", board)
        except RuntimeError as exc:
            errors.append(exc)

    thread = threading.Thread(target=owner)
    thread.start()
    while not helper_failed.is_set():
        board.help("helper")          # a helper that meets a grader error goes on (its owner raises it)
    thread.join(20)
    assert [str(e) for e in errors] == ["the twin stopped answering"]
    assert 0 in ran and 4 not in ran     # the helper took the last; after its error nothing more is handed out


def test_an_owner_that_fails_raises_at_once_and_hands_out_nothing_more():
    shared, helper_in, release = None, threading.Event(), threading.Event()
    taken = []

    def run(box, i):
        taken.append((box, i))
        if box == "helper":
            helper_in.set()
            release.wait(20)          # a long check in flight on the other side

    shared = Shared(5, run)
    helper = threading.Thread(target=shared.help, args=("helper",))
    helper.start()
    assert helper_in.wait(10)
    assert shared.take() == 0
    started = time.monotonic()
    shared.finish(failed=True)        # the owner's own check raised: it does not wait for the helper's
    assert time.monotonic() - started < 1
    assert shared.take() is None and not shared.left()
    release.set()
    helper.join(10)
    assert taken == [("helper", 4)]


def test_a_side_with_no_exercise_left_runs_the_unstarted_checks_of_the_other_sides_exercise():
    box, board, lock, ran = FakeBox("box"), Board(), threading.Lock(), []
    helped = threading.Event()

    def grade(where, ex):
        def run(side, i):
            if ex == "long" and i == 0:
                assert helped.wait(20)     # until the other side, done with "short", has taken one of these
            elif ex == "long" and side is not where:
                helped.set()
            with lock:
                ran.append((ex, side.name, i))
        run_shared(4, run, where, board)
        return ex

    results = grade_exercises(box, ["short", "long"], grade, 2, {"long": 9.0, "short": 1.0}.get, lambda ex: True,
                              board=board)
    assert results == ["short", "long"]
    long_sides = {side for ex, side, _ in ran if ex == "long"}
    assert long_sides == {"box'1", "box'2"}                       # both twins ran checks of "long"
    assert sorted(i for ex, _, i in ran if ex == "long") == [0, 1, 2, 3]
    assert len({side for ex, side, _ in ran if ex == "short"}) == 1     # not shared: nobody was free


@pytest.mark.parametrize("worth_it", [True, False])
def test_a_lone_exercise_is_split_between_two_twins_only_where_it_is_worth_it(worth_it):
    """``check("<exercise>")``: the other side finds the queue empty from the start and waits for the exercise
    to be posted, then helps; one not worth two twins is graded on the sandbox itself."""
    box, board, lock, ran = FakeBox("box"), Board(), threading.Lock(), []

    def grade(where, ex):
        if ex == "long":            # the stub probes nothing
            time.sleep(0.2)         # the other side has found the queue empty long before this is posted
            run_shared(4, lambda side, i: (time.sleep(0.05), lock.acquire(), ran.append((side.name, i)),
                                           lock.release()), where, board)
        return ex

    results = grade_exercises(box, ["long", "stub"], grade, 2, lambda ex: 1.0, lambda ex: ex == "long",
                              board=board, split=lambda ex: worth_it)
    assert results == ["long", "stub"] and sorted(i for _, i in ran) == [0, 1, 2, 3]
    assert {side for side, _ in ran} == ({"box'1", "box'2"} if worth_it else {"box"})
    assert len(box.twins) == (2 if worth_it else 0)


# ------------------------------------------------------------------ the runner
def _slow_first_check(monkeypatch, exercise_id: str) -> threading.Event:
    """``Grader._run_check`` with the first check of ``exercise_id`` held until another of its checks has
    started: only the other side can start one meanwhile (the owner runs them in order), so it surely takes
    some (it must, or the grade waits 60 s and fails). The event returned is set once it did."""
    real, other_side = Grader._run_check, threading.Event()

    def run_check(self, sandbox, ex, check, *args, **kwargs):
        if ex.id == exercise_id:
            if check is ex.checks[0]:
                assert other_side.wait(60), "the other side never took a check of " + exercise_id
            else:
                other_side.set()
        return real(self, sandbox, ex, check, *args, **kwargs)

    monkeypatch.setattr(Grader, "_run_check", run_check)
    return other_side


def _six_checks(ex):
    """The toy exercise with its two checks three times over, each a check of its own (own title)."""
    return dataclasses.replace(ex, checks=tuple(dataclasses.replace(c, title=f"{c.title} ({n})")
                                                for n in range(3) for c in ex.checks))


def _toy_with_six_negate_checks(monkeypatch, parallel_checks: bool = True) -> Module:
    """The toy module, its ``negate`` with six checks, as ``registry.load`` hands it out for this test."""
    spec = dataclasses.replace(TOY, exercises=(*TOY.exercises[:2], _six_checks(TOY.exercises[2])),
                               parallel_checks=parallel_checks)
    monkeypatch.setattr(registry, "load", lambda module_id: spec)
    return spec


def _one_at_a_time_then_split(monkeypatch, sub, exercise_id: str, **grader):
    """``sub`` graded one exercise at a time, then two at a time with ``exercise_id``'s checks surely split
    between the two sides (``_slow_first_check``); both results."""
    with Grader(exercise_workers=1, **grader) as one:
        alone = one.grade(sub)
    other_side = _slow_first_check(monkeypatch, exercise_id)
    with Grader(exercise_workers=2, **grader) as two:
        shared = two.grade(sub)
    assert other_side.is_set()
    return alone, shared


def test_a_toy_module_that_allows_it_gets_the_results_of_one_at_a_time(toy, monkeypatch):  # noqa: F811
    sub, _ = toy
    _toy_with_six_negate_checks(monkeypatch)
    alone, shared = _one_at_a_time_then_split(monkeypatch, sub, "negate", preload=["numpy"])
    assert _summary(shared) == _summary(alone) and shared.points == 4 and shared.max_points == 10


def test_a_module_that_does_not_allow_it_never_splits_an_exercise(toy, monkeypatch):  # noqa: F811
    sub, _ = toy
    _toy_with_six_negate_checks(monkeypatch, parallel_checks=False)
    real, where = Grader._run_check, {}

    def run_check(self, sandbox, ex, check, *args, **kwargs):
        if ex.id == "negate" and check is not ex.checks[0]:
            time.sleep(0.1)                 # the other side runs out of exercises long before these end
        where.setdefault(ex.id, set()).add(id(sandbox))
        return real(self, sandbox, ex, check, *args, **kwargs)

    monkeypatch.setattr(Grader, "_run_check", run_check)
    with Grader(preload=["numpy"], exercise_workers=2) as two:
        two.grade(sub)
    assert set(where) == {"double", "square", "negate"} and all(len(s) == 1 for s in where.values())


SHARING = [m for m in registry.module_ids() if registry.load(m).parallel_checks]


@pytest.mark.parametrize("module", SHARING)
def test_mistaken_answers_graded_with_shared_checks_get_the_results_of_one_at_a_time(module, monkeypatch):
    """A notebook of each exercise's first bank mistake, where checks fail, shrink and are gated: the results
    with the longest exercise's checks split between the two sides are exactly those of one at a time."""
    spec = registry.load(module)
    first = {}
    for entry in bank(module, "mistakes"):
        first.setdefault(entry.exercise, entry.source)
    longest = max((ex for ex in spec.exercises if not ex.alone), key=lambda ex: len(ex.checks))
    alone, shared = _one_at_a_time_then_split(monkeypatch, submission(module, first), longest.id)
    assert shared.error is None, shared.error
    assert _summary(shared) == _summary(alone)
    assert shared.points < spec.points


def test_code_that_kills_its_parent_process_while_its_checks_are_shared_costs_its_own_exercise(
        toy, monkeypatch):  # noqa: F811
    """Each side's check kills that side's twin; both are replaced (a fresh sandbox replays the cells), and the
    other exercises keep their points, as one at a time."""
    sub, _ = toy
    _toy_with_six_negate_checks(monkeypatch)
    kill = "def negate(x):\n    import os, signal\n    os.kill(os.getppid(), signal.SIGKILL)\n"
    sub = dataclasses.replace(sub, answers=tuple(dict(sub.answers, negate=kill).items()))
    alone, shared = _one_at_a_time_then_split(monkeypatch, sub, "negate", preload=["numpy"])
    assert _summary(shared) == _summary(alone)
    assert [ex.points for ex in shared.exercises] == [2, 2, 0]


@pytest.mark.parametrize("took, split", [(1.0, True), (0.01, False)])
def test_check_of_one_exercise_is_split_when_it_took_long_last_time(toy, monkeypatch, took, split):  # noqa: F811
    sub, _ = toy
    spec = _toy_with_six_negate_checks(monkeypatch)
    with Grader(preload=["numpy"], exercise_workers=1) as one:
        alone = one.grade(sub, only=["negate"])
    real_twin, twins = Sandbox.twin, []
    monkeypatch.setattr(Sandbox, "twin", lambda box: twins.append(1) or real_twin(box))
    other_side = _slow_first_check(monkeypatch, "negate") if split else None
    with Grader(preload=["numpy"], exercise_workers=2) as two:
        two._took[spec.id, "negate"] = took                 # what it took last time
        result = two.grade(sub, only=["negate"])
    assert _summary(result) == _summary(alone) and len(twins) == (2 if split else 0)
    assert other_side is None or other_side.is_set()
