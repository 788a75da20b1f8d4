"""Sandbox-side helpers of 03_algorithms: probes, and the models handed to learner code.

Only this file and ``centroid.py`` are imported inside the sandbox (pickled references point here);
oracles, datasets and judges stay in the grading process. The estimator exercises
run on the engine's stateful-object probe (``probes.object_runs``).
"""
from __future__ import annotations

from graders.engine.sandbox.probes import shares_child

# ------------------------------------------------------------------ learning curves
# The models are made in the sandbox (whose parent preloads scikit-learn), and in the grading process only where
# the learning curve's oracle computes a curve afresh: importing this file for the probe imports no scikit-learn
_CREATED: list = []


def make_running_centroid():
    from .centroid import RunningCentroid

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


@shares_child      # the record of models made is cleared before each case: nothing of a request is left for the next
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
