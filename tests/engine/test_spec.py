"""The declarative spec objects: hidden seeds, cases generated once, points that add up."""
from __future__ import annotations

import gc
import os
import subprocess
import sys

import numpy as np
import pytest

from graders.engine.sandbox import probes
from graders.engine.spec import Case, Check, Exercise, Module, arr_label, checks_with, per_case, seed_for


def never_called(cases, observations):
    raise AssertionError("the judge is not under test here")


def test_seed_for_is_the_same_in_a_fresh_interpreter_with_another_hash_seed():
    # hidden inputs must be identical on every run, so the seed cannot come from Python's salted hash()
    code = "from graders.engine.spec import seed_for; print(seed_for('02_math', 'softmax', 'random'))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert int(out.stdout) == seed_for("02_math", "softmax", "random")


def test_seed_for_differs_per_check_and_is_a_valid_numpy_seed():
    seeds = {seed_for("02_math", "softmax", name) for name in ("random", "large", "int", "nd")}
    seeds |= {seed_for("05_evaluation", "softmax", "random"), seed_for("02_math", "logsumexp", "random")}
    assert len(seeds) == 6
    for seed in seeds:
        assert 0 <= seed < 2 ** 31
        np.random.RandomState(seed)          # the legacy API is the stricter one: 32-bit unsigned
    draws = [np.random.default_rng(seed_for("m", "e", "c")).normal(size=3) for _ in range(2)]
    assert np.array_equal(*draws)


def test_a_check_generates_its_cases_once():
    calls = []

    def cases():
        calls.append(1)
        return (Case((np.arange(3.0),), {}, "x"), Case((np.ones(2),), {}, "y"))

    check = Check("t", 1, cases, never_called)
    first, second = check.materialize(), check.materialize()
    assert len(calls) == 1
    assert first is second and [c.label for c in first] == ["x", "y"]
    assert isinstance(first, list)                     # a tuple from the generator becomes a list


def test_a_list_of_cases_is_used_as_given():
    given = [Case((1,), {}, "one")]
    check = Check("t", 1, given, never_called)
    assert check.materialize()[0] is given[0]


def test_each_check_keeps_its_own_cases_even_when_ids_are_reused():
    # checks made and dropped in a loop reuse memory addresses; none may see another check's cases
    for i in range(300):
        check = Check("t", 1, lambda i=i: [Case((i,), {}, str(i))], never_called)
        assert check.materialize()[0].args == (i,)
        del check
        if i % 50 == 0:
            gc.collect()


def test_probe_arguments_default_to_call_each_with_each_case():
    cases = [Case((1, 2), {"k": 3}, "a"), Case((4,), {}, "b")]
    check = Check("t", 1, cases, never_called, keep_args=True)
    assert check.probe is probes.call_each
    assert check.args_for("f", cases) == ("f", [((1, 2), {"k": 3}), ((4,), {})], True)
    custom = Check("t", 1, cases, never_called, probe_args=lambda target, cs: (target, len(cs)))
    assert custom.args_for("g", cases) == ("g", 2)


def test_per_case_and_checks_with_bind_a_probe_once_for_many_checks():
    cases = [Case((1, 2), {}, "a", extra="A"), Case((3,), {}, "b", extra="B")]
    assert per_case()("f", cases) == ("f", [(1, 2), (3,)])
    assert per_case("extra")("f", cases) == ("f", ["A", "B"])
    assert per_case(lambda c: c.label)("f", cases) == ("f", ["a", "b"])
    make = checks_with(judge=never_called, probe=probes.object_runs, probe_args=per_case("extra"), timeout=7.0)
    check = make("t", 3, cases)
    assert (check.title, check.points, check.judge, check.probe, check.timeout) == (
        "t", 3, never_called, probes.object_runs, 7.0)
    assert check.args_for("Model", check.materialize()) == ("Model", ["A", "B"])
    other = make("u", 1, cases, print, timeout=1.0)                            # a check's own judge and fields win
    assert (other.judge, other.timeout, other.probe) == (print, 1.0, probes.object_runs)


def test_points_add_up_and_exercises_are_found_by_id():
    a = Exercise("a", (Check("1", 1, [], never_called), Check("2", 2.5, [], never_called)))
    b = Exercise("b", (Check("1", 4, [], never_called),))
    module = Module("99_x", "1", "X", "math", (a, b))
    assert (a.points, b.points, module.points) == (3.5, 4, 7.5)
    assert module.exercise("b") is b
    with pytest.raises(KeyError):
        module.exercise("c")


def test_arr_label_describes_shape_and_dtype_never_values():
    x = np.array([[0.123, 4.5], [6.0, 7.0]], dtype=np.float32)
    assert arr_label(x) == "a (2, 2) float32 array"
    assert arr_label(np.arange(5), "y") == "y = a (5,) int64 array"
    assert "0.123" not in arr_label(x)
