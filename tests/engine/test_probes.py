"""The engine's probes, run through a real sandbox: what they observe and report, as plain data."""
from __future__ import annotations

import numpy as np
import pytest

from graders.engine.sandbox import Sandbox, Zygote
from graders.engine.sandbox.probes import call_each, object_run, object_runs, time_learner, time_reference


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


# ------------------------------------------------------------------ object_runs
MODEL = """
class Model:
    def __init__(self, k=1, seen=None):
        if k < 0:
            raise ValueError("k must be >= 0")
        self.k, self.seen = k, seen

    def fit(self, X, y=None):
        if len(X) == 0:
            raise ValueError("no rows")
        self.mean_ = np.mean(X, axis=0) * self.k
        X[0] = 0.0                       # modifies its input
        return self

    def predict(self, X):
        if self.seen is not None:
            self.seen.append(len(X))
        return np.asarray(X) @ self.mean_

    def score(self, X):
        return None

    def boom(self):
        raise RuntimeError("boom")

    @property
    def broken_(self):
        raise RuntimeError("not fitted")
"""
X = np.array([[1.0, 2.0], [3.0, 4.0]])


def runs(sandbox, *runs, convert=None, same=None):
    define(sandbox, MODEL, "answer cell 'Model'")
    run = sandbox.probe(object_runs, ("Model", list(runs), convert, same))
    assert run.status == "ok", run
    return run.value


def test_object_runs_builds_the_object_calls_its_methods_and_reads_attributes(sandbox):
    steps = [("fit", "fit", (X,)), ("pred", "predict", (X,)), ("score", "score", (X,)), ("t", "transform", (X,))]
    (rec,) = runs(sandbox, object_run((), {"k": 2}, steps, ("mean_", "k", "broken_", "absent_"), required=("fit",)))
    calls = rec["calls"]
    assert calls["fit"]["is_self"] is True and calls["pred"]["is_self"] is False
    assert np.allclose(calls["pred"]["value"], X @ (X.mean(axis=0) * 2))   # fit saw a copy: X was not changed
    assert calls["score"]["value"] is None
    assert calls["t"]["error"] == {"type": "AttributeError", "message": "your object has no method `transform`",
                                   "trace": [], "stage": "transform", "not_implemented": False}
    attrs = rec["attrs"]
    assert np.allclose(attrs["mean_"], [4.0, 6.0]) and attrs["k"] == 2
    assert attrs["broken_"] == {"missing": "RuntimeError: not fitted"}
    assert attrs["absent_"]["missing"].startswith("AttributeError")


def test_a_failing_constructor_or_required_step_rejects_only_its_own_run(sandbox):
    fit = [("fit", "fit", (X,))]
    bad_init, bad_fit, fine = runs(sandbox, object_run((), {"k": -1}, fit, required=("fit",)),
                                   object_run(steps=[("fit", "fit", (X[:0],)), ("pred", "predict", (X,))],
                                              required=("fit",)),
                                   object_run(steps=fit, required=("fit",)))
    assert set(bad_init) == {"error"} and bad_init["error"]["type"] == "ValueError"
    assert bad_init["error"]["stage"] == "the constructor"
    assert set(bad_fit) == {"error"} and bad_fit["error"]["stage"] == "fit" and "no rows" in bad_fit["error"]["message"]
    assert "error" not in fine and fine["calls"]["fit"]["is_self"]


def test_a_failed_step_is_an_observation_and_stop_ends_the_run_there(sandbox):
    steps = [("fit", "fit", (X,)), ("a", "boom", ()), ("b", "predict", (X,))]
    going, stopped = runs(sandbox, object_run(steps=steps), object_run(steps=steps, stop=True))
    assert going["calls"]["a"]["error"]["message"] == "boom" and "value" in going["calls"]["b"]
    assert list(stopped["calls"]) == ["fit", "a"]


def test_steps_share_one_object_and_keep_init_reports_its_arguments_afterwards(sandbox):
    steps = [("fit", "fit", (X,)), ("p1", "predict", (X,)), ("p2", "predict", (X[:1],))]
    (rec,) = runs(sandbox, object_run((1, []), {}, steps, keep_init=True))
    assert rec["init_after"] == [1, [2, 1]]


def test_hooks_convert_returned_values_and_report_modified_arguments(sandbox):
    (rec,) = runs(sandbox, object_run(steps=[("fit", "fit", (X,)), ("pred", "predict", (X,))]),
                  convert=repr, same=np.array_equal)
    assert rec["calls"]["fit"]["mutated"] == [0] and rec["calls"]["pred"]["mutated"] == []
    assert rec["calls"]["pred"]["value"] == repr(X @ X.mean(axis=0))


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
