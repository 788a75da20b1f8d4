"""GradientBoostingRegressor: squared-error boosting on sklearn DecisionTreeRegressor base learners.

Graded by held-out R² within 0.01 of scikit-learn's GradientBoostingRegressor
with the same hyper-parameters (its trees use friedman_mse splits; plain
squared-error trees land within a few thousandths). A wrong answer is named when
its predictions are much closer to a known wrong variant than to the right model.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from graders.engine.compare import close
from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.judges import once_per_case
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Exercise, seed_for

from .common import called, estimator_check, estimator_generated, incorrect, numeric, r2, run
from .data import DATA, bundled, one_thread, rng_for

TOL = 0.01


def boost(X, y, X_query, n_estimators=100, learning_rate=0.1, max_depth=3, init="mean", target="residuals"):
    """Reference boosting with the variants the feedback names."""
    from sklearn.tree import DecisionTreeRegressor

    f0 = float(np.mean(y)) if init == "mean" else 0.0
    F, out = np.full(len(y), f0), np.full(len(X_query), f0)
    for _ in range(n_estimators):
        tree = DecisionTreeRegressor(max_depth=max_depth, random_state=0)
        tree.fit(X, y - F if target == "residuals" else y)
        F += learning_rate * tree.predict(X)
        out += learning_rate * tree.predict(X_query)
    return out


def sklearn_r2(X, y, X_test, y_test, kwargs):
    """Held-out R² of scikit-learn's GradientBoostingRegressor with the case's hyper-parameters."""
    from sklearn.ensemble import GradientBoostingRegressor

    with one_thread():
        model = GradientBoostingRegressor(random_state=0, **kwargs).fit(X, y)
        return r2(model.predict(X_test), y_test)


def on_training_rows(X, y, kwargs):
    """The reference's predictions on its own training rows (the generated cases' expected value)."""
    return boost(X, y, X, **kwargs)


# kept between grading runs (engine/kept_values.py): a cold grade fits no boosted trees for a right answer
R2 = kept_oracle(sklearn_r2, "03_algorithms-boosting-r2", ("scikit-learn",))
TRAINING_ROWS = kept_oracle(on_training_rows, "03_algorithms-boosting-training-rows", ("scikit-learn",))

_PROBLEMS: dict = {}    # a case's key -> (X, y, X_test, y_test, kwargs): what the judge alone sees

VARIANTS = (
    ("no-shrinkage", "your model ignores learning_rate: each tree's prediction must be scaled by it "
     "(F += learning_rate * tree.predict(X)) in fit and in predict", {"learning_rate": 1.0}),
    ("zero-init", "your boosting starts from 0 instead of the mean of y: with few trees and shrinkage the "
     "remaining offset never disappears. Start from F0 = mean(y) and add it in predict", {"init": "zero"}),
    ("fits-targets", "every tree is fitted to y instead of the current residuals y - F: boosting fits each "
     "new tree to what the model still gets wrong", {"target": "y"}),
)


def _judge(case, record):
    X, y, X_test, y_test, kwargs = _PROBLEMS[case.extra]
    pred = numeric(case, called(case, record, "pred"), (len(y_test),), "predict(X)")
    got, best = r2(pred, y_test), R2(X, y, X_test, y_test, kwargs)
    if abs(got - best) <= TOL:
        return
    right = boost(X, y, X_test, **kwargs)
    far = np.mean((pred - right) ** 2)
    for mistake, message, change in VARIANTS:
        variant = boost(X, y, X_test, **{**kwargs, **change})
        if np.mean((pred - variant) ** 2) < 0.05 * far:
            raise incorrect(case, message + ".", mistake)
    side = "below" if got < best else "above"
    raise incorrect(case, f"your held-out R² is more than {TOL} {side} that of scikit-learn's "
                          "GradientBoostingRegressor with the same hyper-parameters: start from "
                          "mean(y), fit each tree (max_depth) to the residuals y - F, and add learning_rate × its "
                          "prediction.")


def _case(X, y, n_train, label, **kwargs):
    key = f"{len(_PROBLEMS)}"
    _PROBLEMS[key] = (X[:n_train], y[:n_train], X[n_train:], y[n_train:], kwargs)
    r = run(init_kwargs=kwargs, fit=(X[:n_train], y[:n_train]), calls=[("pred", "predict", (X[n_train:],))])
    return Case((r,), kwargs, label, extra=key)


def _kw(kwargs) -> str:
    return ", ".join(f"{k}={v}" for k, v in kwargs.items()) or "the defaults"


def _r2_cases():
    out = []
    X, y = bundled("diabetes")
    out.append(_case(X, y.astype(float), 300, "the diabetes data (300 training rows), the defaults"))
    X, y = DATA("make_friedman1", 450, noise=1.0, random_state=3)
    out.append(_case(X, y, 300, "Friedman #1 data (300×10), n_estimators=150, learning_rate=0.05, max_depth=4",
                     n_estimators=150, learning_rate=0.05, max_depth=4))
    rng = rng_for("GradientBoostingRegressor", "sine")
    x = rng.uniform(0, 6, size=(300, 1))
    y = np.sin(2 * x[:, 0]) * 1000 + rng.normal(size=300) * 200
    out.append(_case(x, y, 200, "a noisy sine in 1-D, targets in the thousands, n_estimators=60, "
                     "learning_rate=0.2, max_depth=2", n_estimators=60, learning_rate=0.2, max_depth=2))
    return out


def _init_cases():
    rng = rng_for("GradientBoostingRegressor", "offset")
    X = rng.normal(size=(250, 3))
    y = 500.0 + X @ np.array([3.0, -2.0, 1.0]) + rng.normal(size=250)
    return [_case(X, y, 150, "targets around 500 with only 10 trees (n_estimators=10)", n_estimators=10)]


def _shrinkage_cases():
    rng = rng_for("GradientBoostingRegressor", "shrinkage")
    X = rng.uniform(-2, 2, size=(300, 4))
    y = X[:, 0] ** 2 + np.sin(2 * X[:, 1]) + rng.normal(size=300) * 0.8
    return [_case(X, y, 200, "noisy data, n_estimators=40, learning_rate=0.05", n_estimators=40, learning_rate=0.05),
            _case(X, y, 200, "the same data, n_estimators=20, learning_rate=0.5", n_estimators=20, learning_rate=0.5)]


def _depth_cases():
    rng = rng_for("GradientBoostingRegressor", "depth")
    X = rng.uniform(-2, 2, size=(300, 3))
    y = X[:, 0] * X[:, 1] * 3 + X[:, 2] + rng.normal(size=300) * 0.3
    return [_case(X, y, 200, "an interaction x0·x1 with stumps (max_depth=1, 50 trees)", n_estimators=50,
                  max_depth=1),
            _case(X, y, 200, "the same data with max_depth=5 and 30 trees", n_estimators=30, max_depth=5)]


def _example_cases():
    X = np.linspace(0, 10, 40)[:, None]
    y = np.where(X[:, 0] < 5, 1.0, 3.0) + 0.1 * np.sin(5 * X[:, 0])
    order = np.r_[0:40:2, 1:40:2]          # train on every other point, test on the ones between
    return [_case(X[order], y[order], 20, "the step example (20 training points), n_estimators=20",
                  n_estimators=20)]


# the reference's predictions on a drawn case's training rows, once per case (not per notebook graded)
_expected_on_training_rows = once_per_case(lambda case: TRAINING_ROWS(*case.extra))


def _judge_training_rows(case, record):
    """Trees grown to purity on distinct rows reproduce their residuals exactly, whatever their criterion or
    tie-breaking: on the training rows every correct model predicts mean(y) + (1 - (1 - lr)^m)(y - mean(y))."""
    X, y, kwargs = case.extra
    pred = numeric(case, called(case, record, "pred"), (len(y),), "predict(X)")
    expected = _expected_on_training_rows(case)
    if close()(pred, expected) is None:
        return
    fits = []
    for mistake, message, change in VARIANTS:
        variant = boost(X, y, X, **{**kwargs, **change})
        if close()(pred, variant) is None and close()(variant, expected) is not None:
            fits.append((float(np.max(np.abs(pred - variant))), mistake, message))
    if fits:       # after many trees several variants come near y: name the one that fits best
        _, mistake, message = min(fits)
        raise incorrect(case, message + ".", mistake)
    raise incorrect(case, "with trees grown to purity (max_depth=None) each tree reproduces the residuals it is "
                          "fitted to, so your predictions on the training rows must be mean(y) plus learning_rate "
                          "× the residuals of each round; yours differ. Start from mean(y), fit each tree to y - F, "
                          "add learning_rate × its prediction, in fit and in predict.")


def _distinct_rows(args, kwargs) -> bool:
    """Trees reproduce their residuals only when no two training rows share their features; a constant y
    leaves every variant equal to the right answer."""
    X, y = args
    return len(np.unique(X, axis=0)) == len(X) and np.ptp(y) > 0


def _drawn_run(case):
    X, y = case.args
    r = run(init_kwargs=case.kwargs, fit=(X, y), calls=[("pred", "predict", (X,))])
    return dataclasses.replace(case, args=(r,), extra=(X, y, case.kwargs))


# the contract's inputs where its answer is exact: trees grown to purity (max_depth=None, which sklearn's
# trees accept) on distinct rows, X (n, d) and y at scales 1e-3..1e3, y near 0 or around a million (a wrong
# start shows), 1 to 20 trees, learning rates up to 1; judged on the training rows. Elsewhere two correct
# answers differ by their trees' criterion and tie-breaking (the R² checks grade that)
BOOST_DOMAIN = Domain(
    args=(Arrays(dims=("n", "d")), Arrays(dims=("n",), offsets=(0.0, 1e6))),
    kwargs={"n_estimators": (1, 5, 20), "learning_rate": (OMIT, 0.5, 1.0), "max_depth": (None,)},
    names=("X", "y"), dim_sizes={"n": (2, 12), "d": (1, 3)}, scales=(1e-3, 1.0, 1e3), where=_distinct_rows,
    examples=12)


_AGAINST_SKLEARN = (
    estimator_check("the example in the notebook", 1, _example_cases, _judge),
    estimator_check("held-out R² within 0.01 of scikit-learn's", 3, _r2_cases, _judge, timeout=30.0),
    estimator_check("starts from the mean of y", 2, _init_cases, _judge),
    estimator_check("each tree is shrunk by learning_rate", 2, _shrinkage_cases, _judge, timeout=20.0),
    estimator_check("max_depth reaches the base trees", 1, _depth_cases, _judge, timeout=20.0),
)
_GENERATED = estimator_generated(BOOST_DOMAIN, _judge_training_rows, 1, seed_for("03_algorithms",
                                 "GradientBoostingRegressor", "domain"), _drawn_run)
# the judges that call a kept oracle, and what they call it with (the module's warm_up keeps its outputs)
KEPT = {**{check.judge: (R2, lambda case: _PROBLEMS[case.extra]) for check in _AGAINST_SKLEARN},
        _GENERATED.judge: (TRAINING_ROWS, lambda case: (*case.args, case.kwargs))}

GradientBoostingRegressor = Exercise(
    "GradientBoostingRegressor",
    blocked=("sklearn.ensemble",),
    skill="classical-ml",
    hints=(
        "Boosting builds an additive model: start from the best constant (the mean of y), then repeatedly fit a "
        "small tree to the residuals and add a shrunken copy of it.",
        "In fit: F = full(n, mean(y)); for each of n_estimators: tree = DecisionTreeRegressor(max_depth=...) "
        "fitted to y - F; F += learning_rate * tree.predict(X); keep the tree. predict sums the same way.",
        "`self.f0 = y.mean(); F = np.full(len(y), self.f0)`; `pred = self.f0 + self.learning_rate * "
        "sum(t.predict(X) for t in self.trees)`",
    ),
    checks=(*_AGAINST_SKLEARN, _GENERATED),
)
