"""The engine's probes, run through a real sandbox: what they observe and report, as plain data."""
from __future__ import annotations

import numpy as np
import pytest

from graders.engine.sandbox import Sandbox, Zygote
from graders.engine.sandbox.probes import call_each, method_calls, time_learner, time_reference


@pytest.fixture(scope="module")
def zygote():
    z = Zygote(["numpy"])
    yield z
    z.close()


@pytest.fixture
def sandbox(zygote):
    with Sandbox(zygote) as sb:
        yield sb


def define(sandbox, source: str, label: str = "answer cell 'f'"):
    run = sandbox.exec_cell(label, "import numpy as np\n" + source, 10)
    assert run.status == "ok", run


# ------------------------------------------------------------------ call_each
def test_call_each_observes_one_value_per_case(sandbox):
    define(sandbox, "def f(x, scale=1.0):\n    return np.asarray(x) * scale\n")
    run = sandbox.probe(call_each, ("f", [((np.arange(3.0),), {}), (([1, 2],), {"scale": 0.5})]))
    assert run.status == "ok" and len(run.value) == 2
    first, second = run.value
    assert np.array_equal(first["value"], [0.0, 1.0, 2.0]) and first["value"].dtype == np.float64
    assert np.array_equal(second["value"], [0.5, 1.0])
    assert "args_after" not in first and first["seconds"] >= 0


def test_call_each_records_an_error_per_case_and_goes_on(sandbox):
    define(sandbox, "def f(x):\n    return 10 // x\n")
    run = sandbox.probe(call_each, ("f", [((0,), {}), ((5,), {})]))
    assert run.status == "ok"
    error, fine = run.value
    assert error["error"]["type"] == "ZeroDivisionError" and not error["error"]["not_implemented"]
    assert error["error"]["trace"] == ["answer cell 'f', line 3, in f -> return 10 // x"]
    assert fine["value"] == 2


def test_call_each_reports_the_arguments_after_the_call_when_asked(sandbox):
    define(sandbox, "def f(x):\n    x[0] = -1.0\n    return x.sum()\n")
    x = np.arange(3.0)
    run = sandbox.probe(call_each, ("f", [((x,), {})], True))
    (obs,) = run.value
    assert np.array_equal(obs["args_after"][0], [-1.0, 1.0, 2.0])
    assert np.array_equal(x, [0.0, 1.0, 2.0])                  # the grading process's copy is untouched


def test_call_each_gives_every_case_a_fresh_copy_of_its_arguments(sandbox):
    define(sandbox, "def f(x):\n    x.append(1)\n    return len(x)\n")
    shared = []
    run = sandbox.probe(call_each, ("f", [((shared,), {}), ((shared,), {})]))
    assert [obs["value"] for obs in run.value] == [1, 1]


def test_a_stub_is_reported_as_not_implemented(sandbox):
    define(sandbox, "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n")
    (obs,) = sandbox.probe(call_each, ("f", [((1,), {})])).value
    assert obs["error"]["not_implemented"] is True


def test_a_missing_name_is_reported_not_raised(sandbox):
    define(sandbox, "def g(x):\n    return x\n")
    run = sandbox.probe(call_each, ("f", [((1,), {})]))
    assert run.status == "missing"


# ------------------------------------------------------------------ method_calls
MODEL = """
class Model:
    def __init__(self, k=1):
        if k < 0:
            raise ValueError("k must be >= 0")
        self.k = k

    def fit(self, X, y=None):
        self.mean_ = np.mean(X, axis=0) * self.k
        return self

    def predict(self, X):
        return np.asarray(X) @ self.mean_

    def score(self, X):
        return None

    @property
    def broken_(self):
        raise RuntimeError("not fitted")
"""
X = np.array([[1.0, 2.0], [3.0, 4.0]])


def test_method_calls_builds_the_object_runs_steps_and_reads_attributes(sandbox):
    define(sandbox, MODEL, "answer cell 'Model'")
    steps = [("fit", (X,), {}), ("predict", (X,), {}), ("score", (X,), {}), ("transform", (X,), {})]
    run = sandbox.probe(method_calls, ("Model", (), {"k": 2}, steps, ("mean_", "k", "broken_", "absent_")))
    assert run.status == "ok"
    fit, predict, score, transform = run.value["steps"]
    assert fit["is_self"] is True and "value" not in fit            # `return self` is reported, not converted
    assert np.allclose(predict["value"], X @ (X.mean(axis=0) * 2))
    assert score["value"] is None and "is_self" not in score
    assert transform["error"]["type"] == "AttributeError" and "transform" in transform["error"]["message"]
    attrs = run.value["attrs"]
    assert np.allclose(attrs["mean_"], [4.0, 6.0]) and attrs["k"] == 2
    assert attrs["broken_"] == {"missing": "RuntimeError: not fitted"}
    assert attrs["absent_"]["missing"].startswith("AttributeError")


def test_method_calls_reports_a_failing_constructor_as_a_learner_error(sandbox):
    define(sandbox, MODEL, "answer cell 'Model'")
    run = sandbox.probe(method_calls, ("Model", (), {"k": -1}, [("fit", (X,), {})]))
    assert run.status == "learner_error"
    assert run.error["type"] == "ValueError" and run.error["stage"] == "constructor"


def test_method_calls_steps_share_one_object(sandbox):
    define(sandbox, "class Counter:\n    def __init__(self):\n        self.n = 0\n"
                    "    def add(self):\n        self.n += 1\n        return self.n\n", "answer cell 'Counter'")
    run = sandbox.probe(method_calls, ("Counter", (), {}, [("add", (), {})] * 3, ("n",)))
    assert [s["value"] for s in run.value["steps"]] == [1, 2, 3] and run.value["attrs"]["n"] == 3


# ------------------------------------------------------------------ time_learner, time_reference
def test_time_learner_returns_only_a_time(sandbox):
    define(sandbox, "def f(x):\n    return np.sort(x)\n")
    run = sandbox.probe(time_learner, ("f", (np.arange(50.0),)))
    assert run.status == "ok" and isinstance(run.value, float) and run.value > 0


def test_time_reference_times_the_function_it_is_given(sandbox):
    run = sandbox.probe(time_reference, (np.sort, (np.arange(50.0),)))
    assert run.status == "ok" and isinstance(run.value, float) and run.value > 0


def test_time_learner_fits_an_estimator_before_timing_its_method(sandbox):
    define(sandbox, MODEL, "answer cell 'Model'")
    assert sandbox.probe(time_learner, ("Model", (X,), "predict", {"k": 1}, (X,))).status == "ok"
    unfitted = sandbox.probe(time_learner, ("Model", (X,), "predict", {"k": -1}))
    assert unfitted.status == "learner_error" and unfitted.error["type"] == "ValueError"
