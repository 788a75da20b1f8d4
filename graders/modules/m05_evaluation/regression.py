"""regression_report: mse, rmse, mae, r2 and mape in one dict, each as scikit-learn computes it."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import close, describe
from graders.engine.domains import Arrays, Domain
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

KEYS = ("mse", "rmse", "mae", "r2", "mape")


def sklearn_report(y_true, y_pred):
    from sklearn.metrics import (  # imported only where the output is not kept
        mean_absolute_error,
        mean_absolute_percentage_error,
        mean_squared_error,
        r2_score,
        root_mean_squared_error,
    )

    return {"mse": mean_squared_error(y_true, y_pred), "rmse": root_mean_squared_error(y_true, y_pred),
            "mae": mean_absolute_error(y_true, y_pred), "r2": r2_score(y_true, y_pred),
            "mape": mean_absolute_percentage_error(y_true, y_pred)}


# kept between grading runs (engine/kept_values.py): a grade after `mlkata warm` imports no scikit-learn
report_ref = kept_oracle(sklearn_report, "05_evaluation-regression-report", ("scikit-learn",))


def compare_report(got, expected):
    """A dict holding (at least) the five keys, each value a matching number."""
    if not isinstance(got, dict):
        return f"expected a dict with keys {', '.join(KEYS)}, got {describe(got)}"
    missing = [k for k in KEYS if k not in got]
    if missing:
        return f"your dict has no key {', '.join(repr(k) for k in missing)} (keys are {', '.join(KEYS)})"
    num = close()
    for key in KEYS:
        problem = num(got[key], expected[key])
        if problem:
            return f"in '{key}': {problem}"
    return None


def _with(key, fn):
    """A variant: the correct report with one entry computed the wrong way."""

    def variant(y_true, y_pred):
        out = report_ref(y_true, y_pred)
        yt, yp = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
        out[key] = fn(yt, yp)
        return out

    return variant


def _ss_res(yt, yp):
    return np.sum((yt - yp) ** 2)


REPORT_MISTAKES = (
    Mistake("r2-uncentred", "your r2 divides by sum(y_true**2); the denominator is the total sum of squares around "
            "the mean, sum((y_true - mean(y_true))**2)",
            variant=_with("r2", lambda t, p: 1 - _ss_res(t, p) / np.sum(t ** 2))),
    Mistake("r2-ddof1", "your r2 mixes a mean squared error with a variance using ddof=1: use "
            "1 - SS_res / SS_tot with both as sums (or both as means over n)",
            variant=_with("r2", lambda t, p: 1 - np.mean((t - p) ** 2) / np.var(t, ddof=1))),
    Mistake("r2-pred-mean", "your r2 measures the spread around the mean of y_pred; SS_tot uses the mean of y_true",
            variant=_with("r2", lambda t, p: 1 - _ss_res(t, p) / np.sum((t - p.mean()) ** 2))),
    Mistake("r2-of-predictions", "your r2 divides by the spread of y_pred; SS_tot is the spread of y_true around "
            "its mean", variant=_with("r2", lambda t, p: 1 - _ss_res(t, p) / np.sum((p - p.mean()) ** 2))),
    Mistake("r2-squared-correlation", "you returned the squared correlation; r2 = 1 - SS_res / SS_tot also "
            "penalises biased predictions (and can be negative)",
            variant=_with("r2", lambda t, p: np.corrcoef(t, p)[0, 1] ** 2)),
    Mistake("mape-percent", "scikit-learn's mape is a fraction (0.1 for 10%), not a percentage: do not multiply "
            "by 100", variant=_with("mape", lambda t, p: 100 * np.mean(np.abs(t - p) / np.abs(t)))),
    Mistake("mape-by-prediction", "mape divides each error by |y_true|, not by |y_pred|",
            variant=_with("mape", lambda t, p: np.mean(np.abs(t - p) / np.abs(p)))),
    Mistake("rmse-of-abs", "rmse is sqrt(mse), the root of the mean *squared* error",
            variant=_with("rmse", lambda t, p: np.sqrt(np.mean(np.abs(t - p))))),
    Mistake("y-true-y-pred-swapped", "you swapped y_true and y_pred: mse, rmse and mae do not mind, but r2's "
            "SS_tot and mape's denominator come from y_true", variant=lambda y_true, y_pred: report_ref(y_pred, y_true)),
)


def _random_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "regression_report", "random"))
    y = rng.normal(10, 3, size=50)
    p = y + rng.normal(0, 1.5, size=50)
    y2 = rng.integers(1, 20, size=30)
    p2 = y2 + rng.integers(-3, 4, size=30)
    y3 = rng.uniform(900, 1100, size=40)
    p3 = y3 + rng.normal(0, 5, size=40)
    y4 = -rng.uniform(1, 5, size=25)
    p4 = y4 * rng.uniform(0.8, 1.2, size=25)
    return [Case((y, p), {}, "50 targets around 10 with noisy predictions"),
            Case((y2.tolist(), p2.tolist()), {}, "Python lists of integers"),
            Case((y3, p3), {}, "targets around 1000 with small errors"),
            Case((y4, p4), {}, "negative targets between -5 and -1")]


def _r2_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "regression_report", "r2"))
    y = rng.normal(5, 2, size=60)
    biased = 0.5 * y + 4 + rng.normal(0, 0.3, size=60)
    worse = y.mean() + rng.normal(0, 3, size=60)
    return [Case((y, biased), {}, "predictions that are correlated with y_true but biased"),
            Case((y, worse), {}, "predictions worse than always predicting the mean (r2 < 0)")]


def _mape_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "regression_report", "mape"))
    y = rng.uniform(50, 150, size=40)
    p = y * rng.uniform(0.7, 1.3, size=40)
    y2 = rng.uniform(0.5, 2.0, size=30)
    p2 = y2 + rng.normal(0, 0.8, size=30)
    return [Case((y, p), {}, "targets between 50 and 150 with errors up to 30%"),
            Case((y2, p2), {}, "small targets (0.5 to 2) and large errors")]


def _r2_and_mape_defined(args, kwargs):
    """r2 needs a y_true that is not constant (scikit-learn then returns 0 or 1 by convention, not taught
    here), mape a y_true without zeros (scikit-learn's eps floor there is not taught either)."""
    y_true = args[0]
    return bool(np.ptp(y_true) > 0 and np.all(y_true != 0))


# the contract's inputs: targets and predictions of any length >= 2 at scales 1e-3 to 1e3, and far from 0
# (1e6 spreads away from 0: the hand-picked targets sit within a few hundred spreads of 0)
REPORT_DOMAIN = Domain(args=(Arrays(dims=("n",), offsets=(0.0, 1e6)), Arrays(dims=("n",), offsets=(0.0, 1e6))),
                       names=("y_true", "y_pred"), dim_sizes={"n": (2, 12)}, scales=(1e-3, 1.0, 1e3),
                       where=_r2_and_mape_defined, same_offsets=True, examples=12)

def _mape_epsilon(case, obs, expected):
    """Their mape is |r| / (|y_true| + eps) for a small eps (a guard against y_true = 0)."""
    got = obs.get("value")
    if not isinstance(got, dict) or "mape" not in got:
        return False
    t, p = (np.asarray(a, dtype=float) for a in case.args)
    return any(np.isclose(float(got["mape"]), np.mean(np.abs(t - p) / (np.abs(t) + eps)), rtol=1e-9, atol=0)
               for eps in (1e-12, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6))


# failures found by the generated cases: the hand-picked targets are neither tiny nor far from 0
REPORT_EDGE_MISTAKES = (
    *REPORT_MISTAKES,
    Mistake("r2-one-pass", "your r2's SS_tot loses its digits when y_true sits far from 0: sum(y**2) - n * mean**2 "
            "subtracts two huge, nearly equal numbers (catastrophic cancellation). Subtract the mean first: "
            "np.sum((y_true - y_true.mean()) ** 2)",
            variant=_with("r2", lambda t, p: 1 - _ss_res(t, p) / (np.sum(t ** 2) - len(t) * t.mean() ** 2))),
    Mistake("mape-epsilon", "your mape adds an epsilon to |y_true|: for small targets the epsilon is no longer "
            "negligible. Divide by |y_true| itself (scikit-learn only floors it at machine epsilon, "
            "np.finfo(float).eps)", detect=_mape_epsilon),
)

REPORT = returns(report_ref, compare_report, REPORT_MISTAKES, expect_text="scikit-learn's five metrics")

regression_report = Exercise(
    "regression_report",
    blocked=("sklearn.metrics.mean_squared_error", "sklearn.metrics.root_mean_squared_error",
             "sklearn.metrics.mean_absolute_error", "sklearn.metrics.r2_score",
             "sklearn.metrics.mean_absolute_percentage_error"),
    skill="evaluation",
    hints=(
        "All five are averages of the residuals y_true - y_pred, looked at differently; r2 compares the squared "
        "residuals with those of the constant prediction mean(y_true).",
        "mse = mean(r**2), rmse = sqrt(mse), mae = mean(|r|), r2 = 1 - sum(r**2) / sum((y_true - "
        "mean(y_true))**2), mape = mean(|r| / |y_true|) as a fraction.",
        "`r = y_true - y_pred; return {'mse': np.mean(r**2), 'rmse': np.sqrt(np.mean(r**2)), 'mae': "
        "np.mean(np.abs(r)), 'r2': 1 - np.sum(r**2) / np.sum((y_true - y_true.mean())**2), 'mape': "
        "np.mean(np.abs(r) / np.abs(y_true))}`",
    ),
    checks=(
        Check("the example in the notebook", 2,
              [Case(([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]), {},
                    "y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0, 2, 8]")], REPORT),
        Check("all five metrics match scikit-learn", 3, _random_cases, REPORT),
        Check("r2 compares with the spread of y_true around its mean", 2, _r2_cases, REPORT),
        Check("mape is a fraction of |y_true|", 2, _mape_cases, REPORT),
        generated(REPORT_DOMAIN, returns(report_ref, compare_report, REPORT_EDGE_MISTAKES,
                                         expect_text="scikit-learn's five metrics"), 1, seed_for("05_evaluation", "regression_report", "domain")),
    ),
)
