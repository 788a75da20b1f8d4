"""Sandbox-side helpers of 03_algorithms: probes, and the models handed to learner code.

Only this file is imported inside the sandbox (pickled references point here);
oracles, datasets and judges stay in the grading process. The estimator exercises
run on the engine's stateful-object probe (``probes.object_runs``).
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

# ------------------------------------------------------------------ learning curves
_CREATED: list = []


class RunningCentroid(ClassifierMixin, BaseEstimator):
    """A nearest-centroid classifier whose ``fit`` adds to what earlier fits saw (a warm start).

    Refitting one instance on another fold therefore gives another model: the
    learning curve exposes an instance reused across fits. A real scikit-learn
    classifier otherwise (``clone``, ``get_params``, ``is_classifier``, ``score``): the
    state it keeps between fits is created by ``fit``, never by ``__init__``, so a
    clone starts from nothing.
    """

    def fit(self, X, y):
        first = not hasattr(self, "n_fits_")
        X, y = validate_data(self, X, y, reset=first)
        check_classification_targets(y)
        if first:
            self.n_fits_, self.sums_, self.counts_ = 0, {}, {}
        X = np.asarray(X, dtype=float)
        for label in np.unique(y):
            rows = X[y == label]
            self.sums_[label] = self.sums_.get(label, 0.0) + rows.sum(0)
            self.counts_[label] = self.counts_.get(label, 0) + len(rows)
        self.n_fits_ += 1
        self.classes_ = np.array(sorted(self.sums_))
        return self

    def predict(self, X):
        check_is_fitted(self, "classes_")
        X = np.asarray(validate_data(self, X, reset=False), dtype=float)
        centres = np.stack([self.sums_[c] / self.counts_[c] for c in self.classes_])
        d = ((X[:, None, :] - centres[None]) ** 2).sum(2)
        return self.classes_[d.argmin(1)]


def make_running_centroid():
    model = RunningCentroid()
    _CREATED.append(model)
    return model


def make_logistic():
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(max_iter=2000)
    _CREATED.append(model)
    return model


def make_tree():
    from sklearn.tree import DecisionTreeClassifier

    model = DecisionTreeClassifier(max_depth=3, random_state=0)
    _CREATED.append(model)
    return model


def make_ridge():
    from sklearn.linear_model import Ridge

    model = Ridge(alpha=1.0)
    _CREATED.append(model)
    return model


FACTORIES = {f.__name__: f for f in (make_running_centroid, make_logistic, make_tree, make_ridge)}


def curve_probe(ctx, target, cases):
    """Call learning_curve(make_model, X, y, sizes, cv) per case; report values and model reuse."""
    fn = ctx.lookup(target)
    out = []
    for i, (factory, X, y, sizes, kwargs) in enumerate(cases):
        ctx.progress(i)
        _CREATED.clear()
        obs = ctx.observe(fn, (FACTORIES[factory], X.copy(), y.copy(), list(sizes)), dict(kwargs))
        fits = [getattr(m, "n_fits_", 0) for m in _CREATED]
        obs["models_made"] = len(_CREATED)
        obs["most_fits"] = max(fits, default=0)
        out.append(obs)
    return out
