"""Property checks pay only with correct results; determinism checks see through global seeding.

Unit tests of the engine pieces (no sandbox): ``runner.gate``, the NOT_SCORED status,
``probes.under_global_seeds`` and the determinism judges of ``batteries``.
"""
from __future__ import annotations

import random

import numpy as np
import pytest

from graders.engine import batteries
from graders.engine.results import CheckResult, ExerciseResult, Status
from graders.engine.runner import NOT_SCORED_MESSAGE, gate
from graders.engine.sandbox import probes
from graders.engine.spec import Case, Check, Exercise


def _exercise():
    correct = Check("values", 4, [], lambda cases, obs: None)
    prop = Check("does not modify its input", 1, [], lambda cases, obs: None, gated=True)
    return Exercise("ex", (correct, prop))


def _passed(title, points):
    return CheckResult(title, Status.PASSED, points, points)


def test_a_gated_check_pays_only_when_the_results_are_right():
    ex = _exercise()
    right = gate(ex, [_passed("values", 4), _passed("does not modify its input", 1)])
    assert ExerciseResult("ex", right).points == 5
    wrong = gate(ex, [CheckResult("values", Status.INCORRECT, 0.0, 4, "off"), _passed("does not modify its input", 1)])
    result = ExerciseResult("ex", wrong)
    assert result.points == 0 and result.max_points == 5 and result.status is Status.INCORRECT
    assert wrong[1].status is Status.NOT_SCORED and wrong[1].message == NOT_SCORED_MESSAGE
    assert any("not scored yet" in line for line in result.feedback)


def test_a_failed_gated_check_keeps_its_own_message():
    ex = _exercise()
    mutated = CheckResult("does not modify its input", Status.INCORRECT, 0.0, 1, "you changed z", "mutates-input")
    results = gate(ex, [CheckResult("values", Status.ERROR, 0.0, 4, "raised"), mutated])
    assert results[1] is mutated and ExerciseResult("ex", results).mistakes == ("mutates-input",)


def test_not_scored_never_decides_the_exercise_status_alone():
    not_scored = CheckResult("prop", Status.NOT_SCORED, 0.0, 1, NOT_SCORED_MESSAGE)
    stub = CheckResult("values", Status.NOT_ATTEMPTED, 0.0, 4, "not attempted yet")
    assert ExerciseResult("ex", (stub, not_scored)).status is Status.NOT_ATTEMPTED
    half = (stub, _passed("other", 2), not_scored)
    assert ExerciseResult("ex", half).status is Status.INCORRECT


def test_an_exercise_cannot_be_made_of_gated_checks_only():
    with pytest.raises(ValueError, match="gated"):
        Exercise("ex", (Check("prop", 1, [], lambda c, o: None, gated=True),))


def test_batteries_make_property_checks_gated():
    case = Case((np.zeros(3),), {}, "zeros")
    assert batteries.not_mutated([case]).gated
    assert batteries.deterministic(case, case, case).gated
    assert batteries.deterministic([case, case], other=None).gated


# ------------------------------------------------------------------ global random state
class _Ctx:
    def __init__(self):
        self.seen = []

    def progress(self, index):
        self.seen.append(index)


def _draws(ctx, how, n):
    out = []
    for i in range(n):
        ctx.progress(i)
        if how == "global":
            value = np.random.rand(3)
        elif how == "reseeds":
            np.random.seed(7)
            value = np.random.rand(3)
        elif how == "random":
            value = np.array([random.random()])
        else:
            value = np.random.default_rng(7).random(3)
        out.append({"value": value})
    return out


def test_each_case_runs_under_its_own_global_seed_and_reports_what_it_touched():
    ctx = _Ctx()
    obs = probes.under_global_seeds(ctx, (1, 2), _draws, "global", 2)
    assert ctx.seen == [0, 1] and [o["global_rng"] for o in obs] == [["numpy"], ["numpy"]]
    np.random.seed(1)
    assert np.array_equal(obs[0]["value"], np.random.rand(3)), "case 0 runs right after seeding with seeds[0]"
    assert not np.array_equal(obs[0]["value"], obs[1]["value"])
    assert [o["global_rng"] for o in probes.under_global_seeds(_Ctx(), (1, 2), _draws, "own", 2)] == [[], []]
    assert probes.under_global_seeds(_Ctx(), (1, 2), _draws, "random", 2)[0]["global_rng"] == ["random"]


@pytest.mark.parametrize("how, mistake", [("global", "global-rng"), ("reseeds", "global-rng"), ("own", None)])
def test_the_determinism_judge_names_the_global_generator(how, mistake):
    same, other = Case((), {"seed": 1}, "seed=1"), Case((), {"seed": 2}, "seed=2")
    check = batteries.deterministic(same, same, other)
    observations = probes.under_global_seeds(_Ctx(), (11, 22, 33), _draws, how, 3)
    if how == "own":      # a seeded generator of its own: the third call must use its other seed
        observations[2]["value"] = np.random.default_rng(8).random(3)
    failure = check.judge(check.materialize(), observations)
    assert (failure.mistake if failure else None) == mistake, failure
    if mistake:
        assert "global random state" in failure.message and "seeded with `seed`" in failure.message
