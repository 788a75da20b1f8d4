"""Two exercises of one notebook graded at once (engine/parallel.py): the twin sandbox, the scheduling (also of
a module that grades each answer in a sandbox of its own), and the promise that matters: every result is what
it is when the exercises are graded one after another."""
from __future__ import annotations

import dataclasses
import os
import signal
import sys
import threading
import time

import numpy as np
import pytest

from graders.engine import registry
from graders.engine.concurrent import grade_paths_concurrently
from graders.engine.domains import draw_cases
from graders.engine.judges import returns
from graders.engine.notebook import Submission
from graders.engine.parallel import grade_exercises, grade_isolated
from graders.engine.runner import Grader
from graders.engine.sandbox import Sandbox, Zygote
from graders.engine.sandbox.probes import call_each
from graders.engine.spec import Case, Check, Exercise, Module

sys.path.insert(0, os.path.dirname(__file__))
import test_domains  # its domains: drawn from two threads below

CELL = ("import numpy as np\nopen('made-by-a-cell.txt', 'w').write('kept')\n"
        "def where(x):\n    import os\n    return (x, os.getppid(), os.getcwd(), open('made-by-a-cell.txt').read())\n")


# ------------------------------------------------------------------ the twin sandbox
@pytest.fixture(scope="module")
def zygote():
    z = Zygote(["numpy"])
    yield z
    z.close()


def _where(box: Sandbox, x=1):
    run = box.probe(call_each, ("where", [((x,), {})]))
    assert run.status == "ok", run
    return run.value[0]["value"]


def test_a_twin_holds_the_cells_namespace_and_a_copy_of_their_files_without_running_them_again(zygote):
    with Sandbox(zygote) as box:
        assert box.exec_cell("answer cell 'where'", CELL + "open('runs.txt', 'a').write('x')\n", 10).status == "ok"
        twin = box.twin()
        assert twin is not None
        with twin:
            x, parent, cwd, text = _where(twin, 3)
            assert (x, text) == (3, "kept")
            assert _where(box)[1] != parent                      # its probes are children of another process
            assert cwd != _where(box)[2] and os.path.dirname(cwd) == zygote.scratch_root()
            with open(os.path.join(cwd, "runs.txt")) as fh:
                assert fh.read() == "x"                          # a copy of the files: the cell did not run again


def test_what_a_twin_writes_or_defines_never_reaches_its_sandbox_and_closing_it_leaves_the_sandbox_serving(zygote):
    with Sandbox(zygote) as box:
        box.exec_cell("answer cell 'where'", CELL, 10)
        twin = box.twin()
        with twin:
            assert twin.exec_cell("later", "open('twin.txt', 'w').write('t')\ndef where(x):\n    return 'twin'\n",
                                  10).status == "ok"
            assert _where(twin) == "twin"
            assert _where(box)[0] == 1
            assert not os.path.exists(os.path.join(box._scratch, "twin.txt"))
            twin_pid = twin._pid
        assert _gone(twin_pid)       # killed with its session
        assert _where(box)[0] == 1


def _gone(pid: int) -> bool:
    """Within 10 s: no such process, or one that has exited and waits to be reaped (SIGKILL is not instant)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.01)
    return False


def test_a_twin_that_dies_is_replaced_by_a_fresh_sandbox_that_replays_the_cells(zygote):
    with Sandbox(zygote) as box:
        box.exec_cell("answer cell 'where'", CELL, 10)
        with box.twin() as twin:
            twin._kill()
            assert _where(twin, 5)[0] == 5


def test_a_cell_that_replaces_os_fork_does_not_stop_the_twin(zygote):
    with Sandbox(zygote) as box:
        box.exec_cell("answer cell 'where'", CELL + "import os\ndef _no(*a):\n    raise OSError('no forks here')\n"
                      "os.fork = _no\n", 10)
        with box.twin() as twin:
            assert _where(twin, 2)[0] == 2


def test_a_twin_that_cannot_be_made_leaves_its_sandbox_answering(zygote, monkeypatch):
    import socket

    def broken(*args, **kwargs):
        raise OSError("the descriptor could not be sent")

    with Sandbox(zygote) as box:
        box.exec_cell("answer cell 'where'", CELL, 10)
        monkeypatch.setattr(socket, "send_fds", broken)
        assert box.twin() is None
        monkeypatch.undo()
        assert _where(box, 4)[0] == 4          # a fresh sandbox replayed the cell: nothing is out of step


# ------------------------------------------------------------------ scheduling
class FakeBox:
    """A sandbox as grade_exercises sees it: it can be twinned and closed."""

    def __init__(self, name, can_twin=2):
        self.name, self.can_twin, self.closed, self.twins = name, can_twin, False, []

    def twin(self):
        if len(self.twins) >= self.can_twin:
            return None
        self.twins.append(FakeBox(f"{self.name}'{len(self.twins) + 1}"))
        return self.twins[-1]

    def close(self):
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def test_two_exercises_are_graded_at_the_same_time_on_two_sandboxes_and_come_back_in_order():
    box, meeting, graded = FakeBox("box"), threading.Barrier(2, timeout=20), []

    def grade(where, ex):
        if ex in ("a", "b"):
            meeting.wait()            # both first exercises must be in flight together, or this times out
        graded.append((where.name, ex))
        return f"{ex} on {where.name}"

    results = grade_exercises(box, ["a", "b", "c", "d"], grade, 2, lambda ex: 0.0, lambda ex: True)
    assert [r.split(" on ")[0] for r in results] == ["a", "b", "c", "d"]
    assert sorted(ex for _, ex in graded) == ["a", "b", "c", "d"]          # each exactly once
    assert {where for where, _ in graded} == {"box'1", "box'2"}          # the sandbox only forked them
    assert all(t.closed for t in box.twins) and not box.closed


def test_the_costliest_exercise_goes_first():
    box, order = FakeBox("box"), []
    took = {"a": 0.1, "b": 0.2, "c": 3.0, "d": 0.0}
    lock = threading.Lock()

    def grade(where, ex):
        with lock:
            order.append(ex)
        return ex

    grade_exercises(box, ["a", "b", "c", "d"], grade, 2, took.get, lambda ex: True)
    assert order[0] == "c"


class Neighbours:
    """Grades exercise ``ex`` where ``where`` says, recording what else was in flight beside it; the two
    costliest shared ones of ``TOOK`` ("b" and "d") must be in flight together, or it times out."""
    TOOK = {"a": 0.1, "b": 2.0, "c": 5.0, "d": 1.0, "e": 0.0}

    def __init__(self):
        self.meeting, self.lock = threading.Barrier(2, timeout=20), threading.Lock()
        self.in_flight, self.overlapped, self.graded = set(), [], []

    def __call__(self, where: str, ex: str) -> str:
        with self.lock:
            self.in_flight.add(ex)
            self.overlapped.append((ex, frozenset(self.in_flight - {ex})))
        if ex in ("b", "d"):
            self.meeting.wait()
        time.sleep(0.02)
        with self.lock:
            self.in_flight.discard(ex)
            self.graded.append((where, ex))
        return ex.upper()

    def alone_first(self) -> bool:
        """c and e (graded alone) went first, in the notebook's order, with nothing beside them; every
        exercise was graded exactly once."""
        return ([ex for _, ex in self.graded][:2] == ["c", "e"] and sorted(ex for _, ex in self.graded) == list("abcde")
                and dict(self.overlapped)["c"] == dict(self.overlapped)["e"] == frozenset())


def test_an_exercise_graded_alone_has_no_neighbour_and_the_others_still_go_two_at_a_time():
    """A verdict on a time measured inside a probe (Exercise.alone) must not share the machine with another
    exercise: it is graded on the sandbox itself before the twins exist, and nothing else is in flight."""
    box, grade = FakeBox("box"), Neighbours()
    results = grade_exercises(box, list("abcde"), lambda where, ex: grade(where.name, ex), 2, grade.TOOK.get,
                              lambda ex: True, lambda ex: ex in "ce")
    assert results == list("ABCDE")                                        # the notebook's order
    assert grade.alone_first()
    assert {where for where, ex in grade.graded if ex in "ce"} == {"box"}   # on the sandbox, before any twin
    assert {where for where, ex in grade.graded if ex in "abd"} == {"box'1", "box'2"}


@pytest.mark.parametrize("alone", ["ab", "abc"])
def test_with_fewer_than_two_exercises_that_may_share_it_is_one_after_another_on_the_sandbox(alone):
    box, graded = FakeBox("box"), []
    results = grade_exercises(box, list("abc"), lambda where, ex: graded.append((where.name, ex)) or ex, 2,
                              lambda ex: 0.0, lambda ex: True, lambda ex: ex in alone)
    assert results == list("abc") and graded == [("box", "a"), ("box", "b"), ("box", "c")]
    assert box.twins == []                                                  # no twin for a lone exercise


@pytest.mark.parametrize("workers, probing, can_twin", [(1, "abc", 2), (2, "a", 2), (2, "abc", 0), (2, "abc", 1)])
def test_one_sandbox_grades_them_all_when_one_worker_one_busy_exercise_or_no_twins(workers, probing, can_twin):
    box, graded = FakeBox("box", can_twin), []
    results = grade_exercises(box, list("abc"), lambda where, ex: graded.append(where.name) or ex, workers,
                              lambda ex: 0.0, lambda ex: ex in probing)
    assert results == list("abc") and graded == ["box"] * 3
    assert all(t.closed for t in box.twins)                                 # a lone twin is not left running
    assert len(box.twins) == (0 if workers < 2 or len(probing) < 2 else can_twin)


def test_a_grader_error_on_one_side_closes_the_twin_and_hands_out_nothing_more():
    box, started, failed = FakeBox("box"), [], threading.Event()

    def grade(where, ex):
        started.append(ex)
        if where.name == "box'1":
            failed.set()
            raise RuntimeError("the sandbox stopped answering")
        failed.wait(10)               # the twin's first exercise is in flight when the other side fails
        return ex

    with pytest.raises(RuntimeError):
        grade_exercises(box, list("abcdefgh"), grade, 2, lambda ex: 0.0, lambda ex: True)
    assert box.twins[1].closed
    assert sorted(started) == ["a", "b"]


def test_a_grader_error_in_the_twins_thread_is_raised_too():
    box, twin_busy = FakeBox("box"), threading.Event()

    def grade(where, ex):
        if where.name == "box'2":
            twin_busy.set()
            raise RuntimeError("the twin stopped answering")
        twin_busy.wait(10)            # the twin takes an exercise before this side can take them all
        return ex

    with pytest.raises(RuntimeError, match="twin"):
        grade_exercises(box, list("abcd"), grade, 2, lambda ex: 0.0, lambda ex: True)


def test_an_interrupt_while_waiting_for_the_other_side_ends_its_probe_at_once():
    box, other_busy, seen_closed, main = FakeBox("box"), threading.Event(), [], threading.get_ident()

    def grade(where, ex):
        if where.name == "box'2":
            other_busy.set()
            deadline = time.monotonic() + 5
            while not where.closed and time.monotonic() < deadline:     # a probe that only its close ends
                time.sleep(0.01)
            seen_closed.append(where.closed)
            return ex
        other_busy.wait(5)
        return ex

    def ctrl_c():
        other_busy.wait(5)
        time.sleep(0.2)                 # this side has graded the rest by now and waits for the other
        signal.pthread_kill(main, signal.SIGINT)

    # Ctrl-C as Python handles it by default: a test run earlier in the session may have left another handler
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Thread(target=ctrl_c, daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            grade_exercises(box, list("abcd"), grade, 2, lambda ex: 0.0, lambda ex: True)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert seen_closed == [True]


def test_isolated_answers_go_two_at_a_time_each_in_its_own_sandbox_after_those_graded_alone():
    """A module whose every answer gets a sandbox of its own (01_python) has nothing to twin: each exercise
    opens its own, two at a time, those graded alone first with nothing beside them; results in order."""
    grade, opened = Neighbours(), []

    def grade_in_own_box(ex, opened_box):
        opened_box(FakeBox(ex))
        opened.append(ex)
        return grade(ex, ex)

    results = grade_isolated(list("abcde"), grade_in_own_box, 2, grade.TOOK.get, lambda ex: ex in "ce")
    assert results == list("ABCDE") and grade.alone_first() and sorted(opened) == list("abcde")
    assert grade_isolated(list("abc"), lambda ex, opened_box: ex, 1, grade.TOOK.get) == list("abc")


def test_an_isolated_answer_failing_on_one_side_ends_the_other_sides_sandbox_and_hands_out_nothing_more():
    started, failed, boxes = [], threading.Event(), {}

    def grade(ex, opened):
        box = FakeBox(ex)
        opened(box)
        mine = threading.current_thread() is threading.main_thread()
        boxes["this side" if mine else "the other side"] = box
        started.append(ex)
        if mine:
            failed.wait(10)           # the other side's exercise is in flight when this one fails
            raise RuntimeError("the sandbox stopped answering")
        failed.set()
        deadline = time.monotonic() + 5
        while not box.closed and time.monotonic() < deadline:      # a probe that only its close ends
            time.sleep(0.01)
        return ex

    with pytest.raises(RuntimeError):
        grade_isolated(list("abcdefgh"), grade, 2, lambda ex: 0.0)
    assert sorted(started) == ["a", "b"] and boxes["the other side"].closed and not boxes["this side"].closed


def test_cases_drawn_from_two_threads_at_once_are_the_cases_drawn_alone():
    alone = {7: test_domains.fingerprint(draw_cases(test_domains.LSE, 7)),
             8: test_domains.fingerprint(draw_cases(test_domains.PINNED, 8))}
    def draw(into, seed, domain):
        into[seed] = test_domains.fingerprint(draw_cases(domain, seed))

    for _ in range(6):
        drawn = {}
        threads = [threading.Thread(target=draw, args=(drawn, seed, domain))
                   for seed, domain in ((7, test_domains.LSE), (8, test_domains.PINNED))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert drawn == alone


# ------------------------------------------------------------------ the runner
CASES = [Case((np.arange(4.0),), {}, "x = [0, 1, 2, 3]")]


def _exercise(name, fn):
    return Exercise(name, (Check(f"{name} works", 1, CASES, returns(fn)), Check(f"{name} again", 1, CASES, returns(fn))))


TOY = Module("97_twins", "1", "Exercises graded side by side", "math", shared_child=True, parallel_exercises=True,
             exercises=(_exercise("double", lambda x: 2 * x), _exercise("square", lambda x: x ** 2),
                        _exercise("negate", lambda x: -x)))
ANSWERS = {"double": "def double(x):\n    return x + x\n", "square": "def square(x):\n    return x * x\n",
           "negate": "def negate(x):\n    return -x + 1\n"}          # wrong: one exercise fails either way


@pytest.fixture
def toy(monkeypatch):
    real_load = registry.load
    monkeypatch.setattr(registry, "load", lambda module_id: TOY if module_id == TOY.id else real_load(module_id))
    boxes = []
    real_probe = Sandbox.probe

    def probe(self, *args, **kwargs):
        boxes.append(id(self))
        return real_probe(self, *args, **kwargs)

    monkeypatch.setattr(Sandbox, "probe", probe)
    return Submission("97_twins.ipynb", TOY.id, "1", (("setup cell 1", "import numpy as np\n"),),
                      tuple(ANSWERS.items())), boxes


def _summary(result):
    return [(ex.id, [(c.title, c.status, c.points, c.message) for c in ex.checks]) for ex in result.exercises]


def test_a_notebook_graded_two_exercises_at_a_time_gets_the_results_of_one_at_a_time(toy):
    sub, boxes = toy
    with Grader(preload=["numpy"], exercise_workers=1) as one:
        alone = one.grade(sub)
    assert len(set(boxes)) == 1
    boxes.clear()
    with Grader(preload=["numpy"], exercise_workers=2) as two:
        side_by_side = two.grade(sub)
    assert len(set(boxes)) == 2                     # the twin probed too
    assert _summary(side_by_side) == _summary(alone)
    assert side_by_side.points == 4 and side_by_side.max_points == 6


def test_an_exercise_marked_alone_is_probed_on_the_sandbox_itself_before_the_twins_start(toy, monkeypatch):
    sub, boxes = toy
    exercises = tuple(dataclasses.replace(ex, alone=ex.id == "square") for ex in TOY.exercises)
    monkeypatch.setattr(registry, "load", lambda module_id: dataclasses.replace(TOY, exercises=exercises))
    with Grader(preload=["numpy"], exercise_workers=1) as one:
        one_at_a_time = one.grade(sub)
    boxes.clear()
    twins, real_twin = [], Sandbox.twin

    def twin(self):
        made = real_twin(self)
        twins.append(id(made))
        return made

    monkeypatch.setattr(Sandbox, "twin", twin)
    with Grader(preload=["numpy"], exercise_workers=2) as two:
        result = two.grade(sub)
    assert _summary(result) == _summary(one_at_a_time)
    assert len(boxes) == 6 and len(twins) == 2
    assert boxes[0] == boxes[1] and boxes[0] not in twins     # square's two checks, on the sandbox, first
    assert set(boxes[2:]) == set(twins)                        # then double and negate on the two twins


def test_a_module_that_does_not_allow_it_is_graded_on_one_sandbox(toy, monkeypatch):
    sub, boxes = toy
    monkeypatch.setattr(registry, "load", lambda module_id: TOY.__class__(**{**TOY.__dict__, "parallel_exercises": False}))
    with Grader(preload=["numpy"], exercise_workers=2) as two:
        two.grade(sub)
    assert len(set(boxes)) == 1


def test_make_grade_of_one_notebook_grades_its_exercises_side_by_side_and_a_class_does_not(toy, monkeypatch):
    from graders.engine import concurrent

    sub, boxes = toy
    monkeypatch.setattr(concurrent, "read_submissions", lambda paths: [sub] * len(paths))
    with Grader(preload=["numpy"], exercise_workers=1) as grader:
        report = grade_paths_concurrently(grader, ["one.ipynb"], workers=2)
        assert grader.exercise_workers == 1                  # as it was, once done
    assert report.notebooks[0].points == 4 and len(set(boxes)) == 2
    boxes.clear()
    with Grader(preload=["numpy"]) as grader:
        report = grade_paths_concurrently(grader, ["one.ipynb", "two.ipynb"], workers=2)
    assert [nb.points for nb in report.notebooks] == [4, 4]
    assert len(set(boxes)) == 2                     # a sandbox per notebook, no twins


def test_the_costliest_is_what_its_author_expects_until_each_exercise_was_graded_here_once(monkeypatch, tmp_path):
    monkeypatch.setenv("MLKATA_HOME", str(tmp_path))      # no timings kept by another test's grade
    slow = dataclasses.replace(TOY.exercises[2], checks=tuple(dataclasses.replace(c, timeout=60.0)
                                                               for c in TOY.exercises[2].checks))
    spec = dataclasses.replace(TOY, exercises=(*TOY.exercises[:2], slow))
    with Grader(preload=["numpy"], exercise_workers=2) as grader:
        before = grader._expected_cost(spec, spec.exercises)
        assert [before(ex) for ex in spec.exercises] == [10.0, 10.0, 60.0]     # the longest time limit first
        grader._took.update({(spec.id, "double"): 0.5, (spec.id, "square"): 0.1})
        assert grader._expected_cost(spec, spec.exercises)(slow) == 60.0        # one not graded yet: still the limits
        grader._took[spec.id, "negate"] = 0.2
        after = grader._expected_cost(spec, spec.exercises)
        assert [after(ex) for ex in spec.exercises] == [0.5, 0.1, 0.2]


def test_a_cold_grade_starts_the_exercises_that_took_longest_in_the_last_grade_here(toy, monkeypatch, tmp_path):
    """What each exercise took is kept in the private folder (engine/timings.py) by a grade that goes two at a
    time, and a new grading process orders by it; a class's one-at-a-time grades keep nothing."""
    monkeypatch.setenv("MLKATA_HOME", str(tmp_path))
    sub, _ = toy
    with Grader(preload=["numpy"], exercise_workers=1) as one:
        one.grade(sub)
    assert not (tmp_path / "timings.json").exists()
    with Grader(preload=["numpy"], exercise_workers=2) as first:
        first.grade(sub)
        took = {ex: first._took[TOY.id, ex] for ex in ANSWERS}
    with Grader(preload=["numpy"], exercise_workers=2) as cold:
        cost = cold._expected_cost(TOY, TOY.exercises)
        assert {ex.id: cost(ex) for ex in TOY.exercises} == pytest.approx(took, abs=1e-4)
        assert max(cost(ex) for ex in TOY.exercises) < 10.0              # not the time limits any more


@pytest.mark.parametrize("isolated", [False, True])
def test_code_that_kills_its_parent_process_costs_its_own_exercise_on_either_side(toy, monkeypatch, isolated):
    """Also where every answer has a sandbox of its own (01_python): the other side's sandbox is not its parent."""
    sub, _ = toy
    monkeypatch.setattr(registry, "load", lambda module_id: dataclasses.replace(TOY, isolated_answers=isolated))
    slow = "    import time\n    time.sleep(0.3)\n"          # the other side is surely mid-check when it happens
    answers = {"double": "def double(x):\n" + slow + "    return x + x\n",
               "square": "def square(x):\n" + slow + "    return x * x\n",
               "negate": "def negate(x):\n    import os, signal\n    os.kill(os.getppid(), signal.SIGKILL)\n"}
    killer = dataclasses.replace(sub, answers=tuple(answers.items()))
    with Grader(preload=["numpy"], exercise_workers=1) as one:
        alone = one.grade(killer)
    for _ in range(4):             # whichever side it lands on
        with Grader(preload=["numpy"], exercise_workers=2) as two:
            side_by_side = two.grade(killer)
        assert _summary(side_by_side) == _summary(alone)
        assert [ex.points for ex in side_by_side.exercises] == [2, 2, 0]


def test_a_module_of_isolated_answers_graded_two_at_a_time_gets_the_results_of_one_at_a_time(toy, monkeypatch):
    sub, _ = toy
    monkeypatch.setattr(registry, "load", lambda module_id: dataclasses.replace(TOY, isolated_answers=True))
    sandboxes, in_flight, lock, real_probe = [], [0, 0], threading.Lock(), Sandbox.probe

    def probe(self, *args, **kwargs):
        with lock:
            sandboxes.append(self._pid)      # a closed sandbox's object may be reused: its process is not
            in_flight[0] += 1
            in_flight[1] = max(in_flight)    # the most probes in flight at once
        time.sleep(0.1)
        try:
            return real_probe(self, *args, **kwargs)
        finally:
            with lock:
                in_flight[0] -= 1

    monkeypatch.setattr(Sandbox, "probe", probe)
    with Grader(preload=["numpy"], exercise_workers=1) as one:
        alone = one.grade(sub)
    assert len(set(sandboxes)) == 3 and in_flight[1] == 1          # a sandbox per answer, one after another
    sandboxes.clear()
    with Grader(preload=["numpy"], exercise_workers=2) as two:
        side_by_side = two.grade(sub)
    assert len(set(sandboxes)) == 3 and in_flight[1] == 2 and _summary(side_by_side) == _summary(alone)
    assert side_by_side.points == 4 and side_by_side.max_points == 6
