"""Batteries build whole checks; each one is run here on learner code in a real sandbox, right and wrong."""
from __future__ import annotations

import time

import numpy as np
import pytest

from graders.engine import batteries
from graders.engine.results import Status
from graders.engine.runner import interpret
from graders.engine.sandbox import Sandbox, Zygote
from graders.engine.spec import Case, Mistake
from graders.engine.yardstick import race


@pytest.fixture(scope="module")
def zygote():
    z = Zygote(["numpy"])
    yield z
    z.close()


def verdict(zygote, check, source: str, target: str = "f"):
    """Run one check on an answer cell the way the runner does; the Failure, or None when it passes."""
    with Sandbox(zygote) as sandbox:
        assert sandbox.exec_cell(f"answer cell '{target}'", "import numpy as np\n" + source, 10).status == "ok"
        cases = check.materialize()
        args = check.args_for(target, cases)
        if check.yardstick is not None:     # a speed budget: the reference runs in a parent of its own
            reference = Sandbox(Zygote(["numpy"], trusted=True))
            try:
                run = race(sandbox, reference, check.yardstick, check.probe, args, timeout=check.timeout)
            finally:
                reference.close()
                reference.zygote.close()
        else:
            run = sandbox.probe(check.probe, args, timeout=check.timeout, seed=check.seed)
        return interpret(run, check, cases, target, check.timeout)


# ------------------------------------------------------------------ not_mutated
def test_not_mutated_accepts_a_copy_and_names_an_in_place_change(zygote):
    check = batteries.not_mutated([Case((np.arange(4.0),), {}, "a (4,) float64 array")], points=2)
    assert check.keep_args and check.points == 2
    assert verdict(zygote, check, "def f(x):\n    return x + 1\n") is None
    failure = verdict(zygote, check, "def f(x):\n    x += 1\n    return x\n")
    assert (failure.status, failure.mistake) == (Status.INCORRECT, "mutates-input")
    assert "a (4,) float64 array" in failure.message


def test_not_mutated_checks_only_the_positions_it_is_given(zygote):
    cases = [Case((np.arange(3.0), np.ones(3)), {}, "x and w")]
    source = "def f(x, w):\n    w *= 2\n    return x * w\n"
    assert verdict(zygote, batteries.not_mutated(cases, positions=(0,)), source) is None
    assert verdict(zygote, batteries.not_mutated(cases, positions=(0, 1)), source).mistake == "mutates-input"


# ------------------------------------------------------------------ deterministic
def seeded_cases():
    return (Case((3,), {"seed": 1}, "seed=1"), Case((3,), {"seed": 1}, "seed=1 again"),
            Case((3,), {"seed": 2}, "seed=2"))


def test_deterministic_accepts_randomness_drawn_from_the_seed(zygote):
    check = batteries.deterministic(*seeded_cases())
    assert verdict(zygote, check, "def f(n, seed):\n    return np.random.default_rng(seed).normal(size=n)\n") is None


@pytest.mark.parametrize("body, words, mistake", [
    ("return np.random.default_rng().normal(size=n)", "gave different results", "seed-ignored"),  # seed ignored
    ("return np.zeros(n)", "gave identical results", "seed-ignored"),                # no randomness at all
    # the global generators, drawn from or reseeded: the two same-seed calls run under different global seeds
    ("return np.random.normal(size=n)", "global random state", "global-rng"),
    ("np.random.seed(seed)\n    return np.random.normal(size=n)", "global random state", "global-rng"),
    ("import random\n    return [random.random() for _ in range(n)]", "global random state", "global-rng"),
])
def test_deterministic_names_randomness_that_ignores_the_seed(zygote, body, words, mistake):
    failure = verdict(zygote, batteries.deterministic(*seeded_cases()), f"def f(n, seed):\n    {body}\n")
    assert (failure.status, failure.mistake) == (Status.INCORRECT, mistake)
    assert words in failure.message


def test_deterministic_reports_a_learner_error_as_such(zygote):
    failure = verdict(zygote, batteries.deterministic(*seeded_cases()), "def f(n, seed):\n    return n / 0\n")
    assert failure.status is Status.ERROR and "ZeroDivisionError" in failure.message


def test_deterministic_compares_tuples_item_by_item():
    check = batteries.deterministic(*seeded_cases())
    pair = (np.arange(2.0), 3)
    assert check.judge(check.materialize(), [{"value": pair}, {"value": pair}, {"value": (np.arange(2.0), 4)}]) is None
    assert check.judge(check.materialize(), [{"value": pair}, {"value": (np.arange(2.0), 4)},
                                             {"value": pair}]).mistake == "seed-ignored"


def test_deterministic_takes_lazy_cases_a_reader_an_equality_and_its_own_words():
    def read(cases, observations):
        return [round(o["value"]) for o in observations]

    check = batteries.deterministic(seeded_cases, points=3, title="seeded", read=read, equal=lambda a, b: a == b,
                                    same="seed=1 twice differs", other=None, timeout=2.0)
    assert (check.points, check.title, check.timeout, len(check.materialize())) == (3, "seeded", 2.0, 3)
    assert check.judge(check.materialize(), [{"value": 1.2}, {"value": 0.9}, {"value": 1.0}]) is None
    failure = check.judge(check.materialize(), [{"value": 1.2}, {"value": 2.2}, {"value": 1.0}])
    assert (failure.message, failure.mistake) == ("seed=1 twice differs", "seed-ignored")


def test_not_mutated_takes_its_own_words_and_mistake(zygote):
    check = batteries.not_mutated([Case((np.arange(2.0),), {}, "x")], message="x changed", mistake_id="x-changed")
    failure = verdict(zygote, check, "def f(x):\n    x[0] = 5\n    return x\n")
    assert (failure.message, failure.mistake) == ("On x: x changed.", "x-changed")


# ------------------------------------------------------------------ speed_budget
SLOW = Mistake("python-loops", "loop over the entries in Python")


def test_speed_budget_judges_the_ratio_to_the_reference_not_seconds():
    check = batteries.speed_budget("fast", 1, Case((10,), {}, "n = 10"), time.sleep, budget=5, slow=SLOW)
    assert check.timeout_mistake is SLOW
    assert check.judge(check.materialize(), {"ref": 2.0, "learner": 9.0}) is None
    failure = check.judge(check.materialize(), {"ref": 2.0, "learner": 11.0})
    assert (failure.mistake, failure.status) == ("python-loops", Status.INCORRECT)
    assert failure.message.startswith("On n = 10: your code took 6x as long") and "budget 5x" in failure.message


def test_speed_budget_times_the_learner_against_a_reference_timed_in_another_process(zygote):
    # far over any budget on any machine: the reference sleeps 0 s, the learner half a second
    check = batteries.speed_budget("fast", 1, Case((0.5,), {}, "a slow call"), time.sleep, budget=3, slow=SLOW,
                                   ref_args=(0.0,))
    failure = verdict(zygote, check, "import time\ndef f(seconds):\n    time.sleep(seconds)\n")
    assert failure.mistake == "python-loops" and "On a slow call" in failure.message


def test_speed_budget_passes_code_as_fast_as_the_reference(zygote):
    # the learner's call returns at once, the reference sleeps: well within any budget
    check = batteries.speed_budget("fast", 1, Case((0.0,), {}, "a quick call"), time.sleep, budget=3, slow=SLOW,
                                   ref_args=(0.05,))
    assert verdict(zygote, check, "import time\ndef f(seconds):\n    time.sleep(seconds)\n") is None


def test_speed_budget_is_not_failed_by_one_stalled_round(zygote):
    # the learner's first timed call stalls (a paused machine, a neighbour's burst), far past the point where
    # a round is stopped; its later calls are as quick as the reference: one round is not a verdict
    check = batteries.speed_budget("fast", 1, Case((0.6,), {}, "a call that stalls once"), time.sleep, budget=3,
                                   slow=SLOW, ref_args=(0.01,), timeout=30.0)
    stalls_once = ("import mmap, time\nCALLS = mmap.mmap(-1, 1)     # shared with every probe child forked after\n"
                   "def f(seconds):\n    first = CALLS[0] == 0\n    CALLS[0] = 1\n"
                   "    time.sleep(seconds if first else 0.0)\n")
    assert verdict(zygote, check, stalls_once) is None


def test_speed_budget_stops_a_call_once_it_is_clearly_over_budget(zygote):
    # the learner's call would sleep 30 s; it is stopped at twice its budget, and said to be over it
    check = batteries.speed_budget("fast", 1, Case((30.0,), {}, "a very slow call"), time.sleep, budget=3,
                                   slow=SLOW, ref_args=(0.01,), timeout=60.0)
    failure = verdict(zygote, check, "import time\ndef f(seconds):\n    time.sleep(seconds)\n")
    assert failure.mistake == "python-loops" and "took more than 6x as long" in failure.message
