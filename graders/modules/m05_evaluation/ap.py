"""average_precision: scikit-learn's step-wise sum, tied scores, separated and inverted scores."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric, close
from graders.engine.domains import Arrays, Domain
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .ranking import TIES_MESSAGE, TIES_TOLERANCE, merge_close


def sklearn_ap(y_true, scores):
    from sklearn.metrics import average_precision_score  # imported only where the output is not kept

    return average_precision_score(y_true, scores)


# kept between grading runs (engine/kept_values.py): a grade after `mlkata warm` imports no scikit-learn
ap_ref = kept_oracle(sklearn_ap, "05_evaluation-average-precision", ("scikit-learn",))


def _curve(y_true, scores):
    """Recall and precision at each distinct threshold, from high to low (ties merged)."""
    from sklearn.metrics import precision_recall_curve  # a wrong answer's variants only

    precision, recall, _ = precision_recall_curve(y_true, scores)
    return recall[::-1], precision[::-1]


def _trapezoid(y_true, scores):
    from sklearn.metrics import auc, precision_recall_curve

    precision, recall, _ = precision_recall_curve(y_true, scores)
    return auc(recall, precision)


def _interpolated(y_true, scores):
    recall, precision = _curve(y_true, scores)
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall) * envelope[1:]))


def _previous_precision(y_true, scores):
    recall, precision = _curve(y_true, scores)
    return float(np.sum(np.diff(recall) * precision[:-1]))


def _ap_of_order(y, order):
    y = y[order]
    hits = np.cumsum(y)
    return float(np.sum((hits / np.arange(1, len(y) + 1))[y == 1]) / y.sum())


def _ap_bounds(y_true, scores):
    """AP when tied positives come first (best case) and last (worst case) within each tie."""
    y, s = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
    best = _ap_of_order(y, np.lexsort((-y, -s)))
    worst = _ap_of_order(y, np.lexsort((y, -s)))
    return worst, best


def _ties_arbitrary(case, obs, expected):
    got = as_numeric(obs.get("value"))
    if got is None or got.shape != ():
        return False
    lo, hi = _ap_bounds(*case.args)
    return hi > lo + 1e-12 and lo - 1e-9 <= float(got) <= hi + 1e-9


AP_MISTAKES = (
    Mistake("trapezoidal", "you integrated the precision-recall curve with the trapezoidal rule; average "
            "precision is the step sum  sum_k (R_k - R_{k-1}) P_k  (linear interpolation between points is too "
            "optimistic)", variant=_trapezoid),
    Mistake("ap-ties-arbitrary", "tied scores were ordered arbitrarily: samples with the same score cross the "
            "threshold together, so compute precision and recall once per distinct score", detect=_ties_arbitrary),
    Mistake("interpolated-precision", "you used interpolated precision (the best precision at any higher recall, "
            "as in PASCAL VOC); scikit-learn's AP uses the precision at each threshold itself",
            variant=_interpolated),
    Mistake("previous-precision", "each recall step must be weighted by the precision at the *new* threshold "
            "(P_k), not at the previous one", variant=_previous_precision),
    Mistake("ap-ascending", "you ranked the samples from the lowest score up: a higher score must mean 'more "
            "likely positive'", variant=lambda y, s: ap_ref(y, -np.asarray(s, dtype=float))),
)


def _random_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "average_precision", "random"))
    y = (rng.random(400) < 0.05).astype(int)
    y[:2] = 1
    s = rng.normal(size=400) + 1.5 * y
    y2 = rng.random(120) < 0.5
    s2 = rng.random(120) * 0.8 + 0.3 * y2
    y3 = (rng.random(25) < 0.4).astype(int)
    y3[0] = 1
    s3 = rng.normal(size=25) * 2
    return [Case((y, s), {}, "400 samples with about 5% positives (rare class), continuous scores"),
            Case((y2, s2), {}, "a boolean y_true, 120 samples, balanced classes"),
            Case((y3.tolist(), s3.tolist()), {}, "Python lists, 25 samples")]


def _tie_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "average_precision", "ties"))
    y = (rng.random(300) < 0.25).astype(int)
    s = np.round(rng.random(300) * 0.7 + 0.3 * y, 1)
    y2 = (rng.random(100) < 0.3).astype(int)
    s2 = rng.integers(0, 4, size=100) + y2
    y3 = np.array([0, 1, 1, 0, 1, 0, 0, 0])
    return [Case((y, s), {}, "300 samples with scores rounded to one decimal (many ties)"),
            Case((y2, s2), {}, "100 samples with integer ratings 0-4 (many ties)"),
            Case((y3, np.full(8, 0.3)), {}, "every score equal to 0.3 (AP = the fraction of positives)")]


def _extreme_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "average_precision", "extremes"))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    s = np.r_[rng.random(30) * 0.5, 0.6 + rng.random(10) * 0.4]
    perm = rng.permutation(40)
    y_ties = np.r_[np.zeros(8, int), np.ones(5, int)]
    ties = np.r_[np.full(8, 0.2), np.full(5, 0.9)]
    return [Case((y[perm], s[perm]), {}, "perfectly separated scores (every positive above every negative)"),
            Case((y[perm], -s[perm]), {}, "perfectly inverted scores (every positive below every negative)"),
            Case((y_ties, ties), {}, "perfectly separated scores, tied within each class"),
            Case((y_ties, 1 - ties), {}, "perfectly inverted scores, tied within each class")]


def _merged_ap(case, obs, expected):
    got = as_numeric(obs.get("value"))
    y, s = case.args
    return got is not None and got.shape == () and len(np.unique(merge_close(s))) < len(np.unique(s)) \
        and bool(np.isclose(float(got), ap_ref(y, merge_close(s)))) and not np.isclose(float(got), expected)


# failures found by the generated cases: the hand-picked scores are never closer than 1e-8 without being equal
AP_EDGE_MISTAKES = (*AP_MISTAKES, Mistake(TIES_TOLERANCE, TIES_MESSAGE, detect=_merged_ap))


def _some_positive(args, kwargs):
    """AP is defined when y_true holds a positive (recall divides by their number)."""
    return bool(np.any(args[0] == 1))


# the contract's inputs: 0/1 labels with a positive (all positive too), any length, float scores at scales
# 1e-8 (tiny likelihoods, distinct scores 1e-14 apart: ties are exact equality) to 1e3 and integer scores (ties)
AP_DOMAIN = Domain(args=(Arrays(dims=("n",), dtypes=("int64",), ints=(0, 1)),
                         Arrays(dims=("n",), dtypes=("float64", "int64"), ints=(-3, 3))),
                   names=("y_true", "scores"), dim_sizes={"n": (1, 12)}, scales=(1e-8, 1.0, 1e3),
                   where=_some_positive, examples=12)

AP = returns(ap_ref, close(), AP_MISTAKES, expect_text="scikit-learn's average precision")

average_precision = Exercise(
    "average_precision",
    blocked=("sklearn.metrics.average_precision_score", "sklearn.metrics.precision_recall_curve"),
    skill="evaluation",
    hints=(
        "Walk the distinct scores from high to low. At each threshold, precision = TP / predicted positives and "
        "recall = TP / all positives; AP adds up each gain in recall times the precision where it happened.",
        "Sort by score, descending; cumulative TP and FP; keep the last index of each run of equal scores (ties "
        "cross together); precision = tp / (tp + fp), recall = tp / tp[-1]; AP = sum(diff(r, prepend=0) * p).",
        "`last = np.r_[np.diff(s_sorted) != 0, True]; tp = np.cumsum(y_sorted)[last]; "
        "fp = np.cumsum(1 - y_sorted)[last]`; `np.sum(np.diff(tp / tp[-1], prepend=0) * tp / (tp + fp))`",
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case((np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])), {},
                    "y_true = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]")], AP),
        Check("matches scikit-learn on random scores, rare positives included", 3, _random_cases, AP),
        Check("tied scores cross the threshold together", 3, _tie_cases, AP),
        Check("perfectly separated and perfectly inverted scores", 2, _extreme_cases, AP),
        generated(AP_DOMAIN, returns(ap_ref, close(), AP_EDGE_MISTAKES,
                                     expect_text="scikit-learn's average precision"), 1, seed_for("05_evaluation", "average_precision", "domain")),
    ),
)
