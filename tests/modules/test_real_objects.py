"""Objects the graders hand to learner code are the real thing (issue 13, "no points without the work" 5).

A learner who calls standard helpers on them (``sklearn.base.clone``, ``is_classifier``,
``check_cv``; ``copy.deepcopy``, an LR scheduler, ``clip_grad_norm_``, ``state_dict``
round trips) must not crash, and the instrumentation must keep telling the truth.
"""
from __future__ import annotations

import copy
import io
import warnings

import numpy as np
import pytest
import torch
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.model_selection import check_cv
from sklearn.utils.estimator_checks import check_estimator
from torch import nn
from torch.utils.data import DataLoader

from graders.modules.m03_algorithms import helpers as h03
from graders.modules.m03_algorithms.centroid import RunningCentroid
from graders.modules.m05_evaluation import helpers as h05
from graders.modules.m05_evaluation.models import RecordingClassifier
from graders.modules.m06_deep_learning import helpers as h06


def _data(n=40, d=3, seed=0):
    X = np.random.default_rng(seed).normal(size=(n, d))
    return X, (X[:, 0] + 0.3 * X[:, 1] > 0).astype(int)


def _stand_ins():
    X, y = _data()
    return {"05 make_model() classifier": h05.ModelFactory(X, y)(),
            "05 make_model() regressor": h05.ModelFactory(X, X[:, 0] - X[:, 2], task="regress")(),
            "05 recording classifier, default-constructed": RecordingClassifier(),
            "03 learning-curve RunningCentroid": RunningCentroid()}


@pytest.mark.parametrize("name", list(_stand_ins()))
def test_sklearn_stand_ins_pass_sklearns_estimator_checks(name):
    """The full ``check_estimator`` battery, no check excused: they validate input, refuse to
    predict before fit, clone, pickle and report n_features_in_ like any scikit-learn estimator."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(_stand_ins()[name])
    h05.reset_log()


def test_the_other_learning_curve_models_are_scikit_learns_own():
    for name, factory in h03.FACTORIES.items():
        model = factory()
        if name != "make_running_centroid":
            assert type(model).__module__.startswith("sklearn."), name
        assert clone(model).get_params() == model.get_params() and (is_classifier(model) or is_regressor(model))


def test_clone_of_a_recorded_model_is_a_fresh_model_of_the_same_factory():
    X, y = _data()
    h05.reset_log()
    factory = h05.ModelFactory(X, y)
    model = factory().fit(X[:30], y[:30])
    twin = clone(model)
    assert type(twin) is type(model) and twin.factory is factory and twin.model_id != model.model_id
    assert not hasattr(twin, "params_"), "a clone must start unfitted"
    assert is_classifier(model) and not is_regressor(model)
    assert is_regressor(h05.ModelFactory(X, X[:, 0], task="regress")())
    assert model.get_params() == {"factory": factory, "model_id": model.model_id}
    twin.fit(X[10:], y[10:])
    score = h05.accuracy_scorer(twin, X[:10], y[:10])
    assert 0.0 <= score <= 1.0 and model.score(X[:10], y[:10]) >= 0.0
    fits = [(event[1], event[2]) for event in h05.LOG if event[0] == "fit"]
    assert fits == [(model.model_id, list(range(30))), (twin.model_id, list(range(10, 40)))]
    assert h05.LOG[-1][:3] == ("score", twin.model_id, list(range(10)))
    h05.reset_log()


def test_running_centroid_keeps_state_only_in_the_instance_that_was_fitted():
    X, y = _data()
    model = RunningCentroid().fit(X[:20], y[:20]).fit(X[20:], y[20:])
    assert model.n_fits_ == 2, "refitting one instance must still add to what it saw (the warm start)"
    fresh = clone(model)
    assert not hasattr(fresh, "n_fits_") and fresh.get_params() == {} and is_classifier(fresh)
    assert fresh.fit(X[20:], y[20:]).n_fits_ == 1


def test_the_splitter_object_passes_check_cv():
    X, y = _data(23)
    cv = check_cv(h05.ShuffledSplitter(4, seed=3), y, classifier=True)
    folds = list(cv.split(X, y))
    assert cv.get_n_splits() == len(folds) == 4
    assert sorted(np.concatenate([test for _, test in folds]).tolist()) == list(range(23))


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_torch_stand_ins_are_real_modules_optimizers_and_loaders(optimizer):
    spec = {"n": 10, "d": 3, "k": 2, "batch_size": 4, "optimizer": optimizer, "momentum": 0.9, "batchnorm": True}
    model, loader, opt, loss_fn = h06.build(spec)
    assert isinstance(model, nn.Module) and isinstance(loss_fn, nn.Module)
    assert isinstance(opt, torch.optim.Optimizer) and isinstance(loader, DataLoader)
    start = copy.deepcopy(model)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    lr = opt.param_groups[0]["lr"]
    model.train()
    for xb, yb in loader:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        opt.step()
    sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(lr / 2)
    assert any(not torch.equal(a, b) for a, b in zip(start.state_dict().values(), model.state_dict().values()))
    events = [e[0] for e in h06.LOG]
    assert events.count("step") == len(loader) == 3 and events.count("backward") == 3

    buffer = io.BytesIO()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, buffer)
    buffer.seek(0)
    saved = torch.load(buffer)
    other_model = copy.deepcopy(start)
    other_opt = h06.make_optimizer(other_model.parameters(), spec)
    other_model.load_state_dict(saved["model"])
    other_opt.load_state_dict(saved["optimizer"])
    assert all(torch.equal(a, b) for a, b in zip(other_model.state_dict().values(), model.state_dict().values()))
    model.eval()
    with torch.no_grad():
        assert model(torch.zeros(2, 3)).shape == (2, 2)


def test_the_scripted_validation_loss_is_a_tensor_like_any_loss():
    spec = {"n": 8, "n_val": 4, "d": 3, "k": 2, "batch_size": 4, "script": [1.0, 0.5]}
    model, _train, val, _opt, loss_fn = h06.build_fit(spec)
    for xb, yb in val:
        value = loss_fn(model(xb), yb)
        assert isinstance(value, torch.Tensor) and value.ndim == 0 and value.item() == 1.0
