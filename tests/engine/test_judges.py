"""Judges turn observations into verdicts: the right status, the named mistake, no expected values."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import close, exact
from graders.engine.judges import (
    all_pass,
    blocked_failure,
    error_failure,
    first_error,
    incorrect,
    returns,
    seeded,
    unchanged_inputs,
)
from graders.engine.results import Status
from graders.engine.spec import Case, Failure, Mistake


def clip01(x):
    return np.minimum(np.maximum(np.asarray(x, dtype=float), 0.0), 1.0)


def upper_only(x):
    return np.minimum(np.asarray(x, dtype=float), 1.0)


def no_clip(x):
    return np.asarray(x, dtype=float)


X = np.array([-0.5, 0.25, 1.5])
CASE = Case((X,), {}, "x = [-0.5, 0.25, 1.5]")
UPPER_ONLY = Mistake("upper-only", "you clipped only at 1", variant=upper_only)
NO_CLIP = Mistake("no-clip", "you returned x as it was", variant=no_clip)


def error(kind="ValueError", message="bad", trace=("answer cell 'f', line 2, in f",), not_implemented=False):
    return {"error": {"type": kind, "message": message, "trace": list(trace), "stage": "",
                      "not_implemented": not_implemented}}


def test_returns_accepts_values_within_tolerance():
    judge = returns(clip01)
    assert judge([CASE], [{"value": clip01(X) * (1 + 1e-9)}]) is None
    assert judge([CASE], [{"value": [0.0, 0.25, 1.0]}]) is None          # a list is numeric data too


def test_returns_rejects_a_wrong_value_with_the_input_and_without_the_expected_value():
    failure = returns(clip01, expect_text="x clipped to [0, 1]")([CASE], [{"value": np.array([0.0, 0.3, 1.0])}])
    assert failure.status is Status.INCORRECT and failure.mistake is None
    assert failure.message.startswith("On x = [-0.5, 0.25, 1.5]: expected x clipped to [0, 1]; ")
    assert "1 of 3 entries" in failure.message
    assert "0.25" not in failure.message.replace("[-0.5, 0.25, 1.5]", "")   # the right answer is never shown


def test_returns_names_the_first_matching_mistake_in_order():
    wrong = {"value": upper_only(X)}
    late = Mistake("also-matches", "a detector that claims every wrong answer", detect=lambda c, o, e: True)
    assert returns(clip01, mistakes=(UPPER_ONLY, late))([CASE], [wrong]).mistake == "upper-only"
    assert returns(clip01, mistakes=(late, UPPER_ONLY))([CASE], [wrong]).mistake == "also-matches"
    failure = returns(clip01, mistakes=(NO_CLIP, UPPER_ONLY))([CASE], [wrong])
    assert (failure.mistake, failure.message) == ("upper-only", "On x = [-0.5, 0.25, 1.5]: you clipped only at 1")


def test_a_variant_that_agrees_with_the_oracle_on_this_input_does_not_claim_the_slip():
    inside = Case((np.array([0.1, 0.2]),), {}, "x in [0, 1]")
    above = Case((np.array([2.0, 3.0]),), {}, "x above 1")
    # on `inside` the learner is right; on `above` upper-only equals the oracle, so the slip is unnamed
    failure = returns(clip01, mistakes=(UPPER_ONLY,))([inside, above], [{"value": clip01(inside.args[0])},
                                                                       {"value": np.array([1.0, 0.0])}])
    assert failure.mistake is None and failure.message.startswith("On x above 1:")


def test_a_variant_that_raises_on_this_input_does_not_match():
    def broken(x):
        raise ValueError("only for 2-D inputs")

    failure = returns(clip01, mistakes=(Mistake("broken", "never", variant=broken), UPPER_ONLY))(
        [CASE], [{"value": upper_only(X)}])
    assert failure.mistake == "upper-only"


def test_the_oracle_runs_once_per_case():
    calls = []

    def oracle(x):
        calls.append(1)
        return clip01(x)

    judge = returns(oracle)
    for _ in range(3):
        assert judge([CASE], [{"value": clip01(X)}]) is None
    assert len(calls) == 1


def test_a_judges_own_oracle_runs_once_per_case_object_not_once_per_equal_case():
    from graders.engine.judges import once_per_case

    calls = []
    expected = once_per_case(lambda case: calls.append(case.args) or sum(case.args))
    first, twin = Case((1, 2)), Case((1, 2))
    assert [expected(first), expected(first), expected(twin)] == [3, 3, 3]
    assert calls == [(1, 2), (1, 2)]        # the twin is another case: its value is its own, never a guess


def test_expected_values_never_leak_to_a_later_case_at_a_reused_address():
    judge = returns(lambda i: i, compare=exact())
    for i in range(300):                 # fresh cases, freed at once: their ids are reused
        assert judge([Case((i,))], [{"value": i}]) is None


def test_learner_errors_become_error_failures_and_stubs_not_attempted():
    failure = returns(clip01)([CASE], [error("ZeroDivisionError", "division by zero")])
    assert failure.status is Status.ERROR
    assert failure.message == ("On x = [-0.5, 0.25, 1.5]: your code raised ZeroDivisionError: division by zero "
                               "(answer cell 'f', line 2, in f)")
    stub = returns(clip01)([CASE], [error("NotImplementedError", "", not_implemented=True)])
    assert stub.status is Status.NOT_ATTEMPTED


def test_a_detector_can_name_a_mistake_from_the_error_unless_told_not_to():
    axis_slip = Mistake("axis", "you reduced over the wrong axis",
                        detect=lambda case, obs, expected: "axis" in obs.get("error", {}).get("message", ""))
    obs = [error("AxisError", "axis 1 is out of bounds")]
    assert returns(clip01, mistakes=(axis_slip,))([CASE], obs).mistake == "axis"
    plain = returns(clip01, mistakes=(axis_slip,), check_errors_for_mistakes=False)([CASE], obs)
    assert plain.mistake is None and plain.status is Status.ERROR
    stub = returns(clip01, mistakes=(axis_slip,))([CASE], [error("NotImplementedError", "", not_implemented=True)])
    assert stub.status is Status.NOT_ATTEMPTED


def test_error_failure_explains_exits_memory_and_blocked_calls():
    assert "must return a value" in error_failure(None, error("SystemExit", "0")["error"]).message
    assert "more memory" in error_failure(None, error("MemoryError", "")["error"]).message
    blocked = error_failure(CASE, error("BlockedCall", "numpy.clip is off limits")["error"])
    assert blocked.mistake == "blocked-call" and "`numpy.clip`" in blocked.message
    assert "implement it yourself" in blocked_failure(("a.b", "c.d")).message


def test_incorrect_prefixes_the_input_label():
    assert incorrect(CASE, "wrong.", "m").message == "On x = [-0.5, 0.25, 1.5]: wrong."
    assert incorrect(Case(), "wrong.").message == "wrong."
    assert incorrect(None, "wrong.").status is Status.INCORRECT


def test_unchanged_inputs_catches_a_mutated_copy():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = np.array([5.0, 6.0])
    case = Case((x, y), {}, "a (2, 2) float64 array")
    judge = unchanged_inputs((0,))
    assert judge([case], [{"value": None, "args_after": [x.copy(), y * 2]}]) is None     # only position 0
    mutated = x.copy()
    mutated[0, 0] = 0.0
    failure = judge([case], [{"value": None, "args_after": [mutated, y]}])
    assert (failure.status, failure.mistake) == (Status.INCORRECT, "mutates-input")
    assert failure.message.startswith("On a (2, 2) float64 array: your function modified its input")
    assert unchanged_inputs((1,), "y-mutated")([case], [{"args_after": [x, y + 1]}]).mistake == "y-mutated"


def test_unchanged_inputs_wants_the_same_dtype_shape_and_bits():
    x = np.array([0.1, -0.0, 2.0])
    case = Case((x,), {}, "x")
    judge = unchanged_inputs()
    for after in (x.astype(np.float32), x.reshape(3, 1), np.array([0.1, 0.0, 2.0]), [0.1, -0.0, 2.0]):
        assert judge([case], [{"args_after": [after]}]).mistake == "mutates-input", after
    assert judge([case], [{}]).mistake == "mutates-input"                    # nothing reported back
    assert judge([case], [error()]).status is Status.ERROR


def test_all_pass_returns_the_first_failure_and_first_error_finds_errors():
    ok = returns(clip01)
    mutated = unchanged_inputs()
    obs = [{"value": clip01(X), "args_after": [X * 0]}]
    assert all_pass(ok, mutated)([CASE], obs).mistake == "mutates-input"
    wrong = [{"value": upper_only(X), "args_after": [X * 0]}]
    assert all_pass(returns(clip01, mistakes=(UPPER_ONLY,)), mutated)([CASE], wrong).mistake == "upper-only"
    assert all_pass(ok, mutated)([CASE], [{"value": clip01(X), "args_after": [X.copy()]}]) is None
    assert first_error([CASE, CASE], [{"value": 1}, error("KeyError", "'a'")]).status is Status.ERROR
    assert first_error([CASE], [{"value": 1}]) is None


SEEDS = [Case((), {}, "seed=1"), Case((), {}, "seed=1 again"), Case((), {}, "seed=2")]


def values(*vs):
    return [{"value": v} for v in vs]


def test_seeded_wants_one_seed_to_repeat_and_another_to_differ():
    judge = seeded()
    assert judge(SEEDS, values((1, [2.0, np.nan]), (1, [2.0, np.nan]), (1, [3.0, np.nan]))) is None
    differ = judge(SEEDS, values([1, 2], [1, 3], [2, 1]))
    assert (differ.status, differ.mistake) == (Status.INCORRECT, "seed-ignored")
    assert differ.message.startswith("two calls with seed=1 gave different results")
    agree = judge(SEEDS, values([1, 2], [1, 2], [1, 2]))
    assert agree.mistake == "seed-ignored" and agree.message.startswith("seed=1 and seed=2 gave identical results")
    assert judge(SEEDS, [{"value": 1}, error(), {"value": 2}]).status is Status.ERROR


def test_seeded_takes_its_words_a_reader_an_equality_and_the_runs_to_compare():
    judge = seeded("differs", None, read=lambda cases, obs: [o["value"] % 10 for o in obs],
                   equal=lambda a, b: a == b, mistake="m", runs=(1, 2))
    assert judge(SEEDS, values(5, 13, 23)) is None                          # runs 1 and 2 only; no other seed
    assert (judge(SEEDS, values(3, 13, 24)).message, judge(SEEDS, values(3, 13, 24)).mistake) == ("differs", "m")
    named = seeded(lambda cases: f"{cases[1].label}!", "same")
    assert named(SEEDS, values(1, 2, 3)).message == "seed=1 again!" and named(SEEDS, values(1, 1, 1)).message == "same"
    unreadable = seeded(read=lambda cases, obs: Failure(Status.INCORRECT, "not a pair"))
    assert unreadable(SEEDS, values(1, 1, 2)).message == "not a pair"


def test_seeded_names_a_global_generator_before_comparing_unless_told_not_to():
    used = [{"value": 1, "global_rng": ["numpy"]}, {"value": 1}, {"value": 2}]
    assert seeded()(SEEDS, used).mistake == "global-rng"
    assert seeded(global_rng=False)(SEEDS, used) is None
    torch = [{"value": 1, "global_rng": ["torch"]}, {"value": 1}, {"value": 2}]
    assert seeded()(SEEDS, torch) is None                                   # torch.manual_seed(seed) is fine...
    assert seeded(global_rng=lambda v: True)(SEEDS, torch).mistake == "global-rng"   # ...unless results differ


def test_close_by_default_uses_the_syllabus_tolerances():
    judge64, judge32 = returns(lambda: np.float64(1.0)), returns(lambda: np.float32(1.0))
    assert judge64([Case()], [{"value": 1.0 + 5e-7}]) is None
    assert judge64([Case()], [{"value": 1.0 + 5e-6}]) is not None
    assert judge32([Case()], [{"value": 1.0 + 5e-5}]) is None
    assert returns(lambda: 1.0, compare=close(rtol=1e-3))([Case()], [{"value": 1.0005}]) is None
