"""roc_curve and roc_auc (one exercise): scikit-learn's curve with drop_intermediate=False, ties, extremes."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric, close, each
from graders.engine.domains import Arrays, Domain
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, arr_label, seed_for


def sklearn_roc(y_true, scores):
    from sklearn.metrics import roc_curve  # imported only where the output is not kept

    return roc_curve(y_true, scores, drop_intermediate=False)


def sklearn_auc(y_true, scores):
    from sklearn.metrics import roc_auc_score

    return roc_auc_score(y_true, scores)


# kept between grading runs (engine/kept_values.py): a grade after `mlkata warm` imports no scikit-learn
roc_ref = kept_oracle(sklearn_roc, "05_evaluation-roc-curve", ("scikit-learn",))
auc_ref = kept_oracle(sklearn_auc, "05_evaluation-roc-auc", ("scikit-learn",))


def _arrays(obs, k=3):
    got = obs.get("value")
    if not isinstance(got, (tuple, list)) or len(got) != k:
        return None
    arrs = [as_numeric(g) for g in got]
    return None if any(a is None or a.ndim != 1 for a in arrs) else [a.astype(float) for a in arrs]


def _missing_origin(case, obs, expected):
    got = _arrays(obs)
    return got is not None and len(got[0]) == len(expected[0]) - 1 and np.allclose(got[0], expected[0][1:]) \
        and np.allclose(got[1], expected[1][1:])


def _ties_split(case, obs, expected):
    got = _arrays(obs)
    return got is not None and len(got[0]) > len(expected[0]) and len(np.unique(got[2])) < len(got[2])


def _max_plus_one(case, obs, expected):
    got = _arrays(obs)
    return got is not None and len(got[2]) == len(expected[2]) and np.isfinite(got[2][0]) \
        and np.allclose(got[0], expected[0]) and np.allclose(got[2][1:], expected[2][1:])


def _ascending(case, obs, expected):
    got = _arrays(obs)
    return got is not None and len(got[0]) == len(expected[0]) and np.allclose(got[0], expected[0][::-1]) \
        and np.allclose(got[1], expected[1][::-1])


def merge_close(scores):
    """The scores as a tolerant tie test sees them (np.isclose on sorted neighbours, its default atol 1e-8):
    each run of neighbours it calls equal takes the run's first (highest) value."""
    s = np.asarray(scores, dtype=float)
    order = np.argsort(-s, kind="stable")
    ranked = s[order]
    run = np.r_[0, np.cumsum(~np.isclose(np.diff(ranked), 0))]
    first = np.r_[0, np.flatnonzero(np.diff(run)) + 1]
    out = np.empty_like(ranked)
    out[order] = ranked[first][run]
    return out


TIES_TOLERANCE = "ties-tolerance"
TIES_MESSAGE = ("scores that differ (here by less than 1e-8) were treated as ties: a tolerance such as np.isclose "
                "merges distinct small scores. Scores are tied only when exactly equal (np.diff(s) != 0)")


def _counts(y_true, scores):
    fpr, tpr, thr = roc_ref(y_true, scores)
    y = np.asarray(y_true).astype(bool)
    return fpr * (~y).sum(), tpr * y.sum(), thr


ROC_MISTAKES = (
    Mistake("missing-origin", "your curve does not start at (0, 0): prepend the point for a threshold above every "
            "score (threshold inf, nothing predicted positive)", detect=_missing_origin),
    Mistake("ties-split", "your curve has one point per sample, so tied scores were ordered arbitrarily: all "
            "samples with the same score switch to positive together, giving one point per distinct score",
            detect=_ties_split),
    Mistake("first-threshold-not-inf", "the first threshold must be inf (scikit-learn >= 1.3), not a finite "
            "number such as max(scores) + 1", detect=_max_plus_one),
    Mistake("ascending", "your arrays run backwards: sort the thresholds from high to low, so the curve goes "
            "from (0, 0) to (1, 1)", detect=_ascending),
    Mistake("fpr-tpr-swapped", "fpr and tpr are swapped: fpr = FP / negatives comes first, tpr = TP / positives "
            "second", variant=lambda y, s: (roc_ref(y, s)[1], roc_ref(y, s)[0], roc_ref(y, s)[2])),
    Mistake("counts-not-rates", "you returned counts of false and true positives; divide them by the number of "
            "negatives and of positives", variant=_counts),
)


def _auc_bounds(y_true, scores):
    y, s = np.asarray(y_true).astype(bool), np.asarray(scores, dtype=float)
    diff = s[y][:, None] - s[~y][None, :]
    return float(np.mean(diff > 0)), float(np.mean(diff >= 0))


def _ties_arbitrary(case, obs, expected):
    got = as_numeric(obs.get("value"))
    if got is None or got.shape != ():
        return False
    lo, hi = _auc_bounds(*case.args)
    return hi > lo and lo - 1e-9 <= float(got) <= hi + 1e-9


def _flipped(case, obs, expected):
    got = as_numeric(obs.get("value"))
    return got is not None and got.shape == () and expected < 0.5 and np.isclose(float(got), 1 - expected)


AUC_MISTAKES = (
    Mistake("auc-ties-arbitrary", "tied scores were ordered arbitrarily (or counted as all wins or all losses): a "
            "positive and a negative with the same score count one half, which is what the trapezoid under the "
            "tie-merged ROC curve (or average ranks) gives", detect=_ties_arbitrary),
    Mistake("auc-flipped", "perfectly inverted scores have AUC 0, not 1: do not flip the AUC to max(auc, 1 - auc)",
            detect=_flipped),
    Mistake("auc-inverted", "you computed 1 - AUC: a higher score must mean 'more likely positive'",
            variant=lambda y, s: 1 - auc_ref(y, s)),
)


def _roc_random_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "roc_curve", "random"))
    y = (rng.random(200) < 0.15).astype(int)
    s = rng.normal(size=200) + 1.2 * y
    y2 = rng.random(50) < 0.5
    s2 = rng.integers(0, 100, size=50) + 20 * y2
    y3 = (rng.random(30) < 0.4).astype(int)
    s3 = rng.normal(size=30) * 3 - 2
    return [Case((y, s), {}, f"200 samples, about 15% positives, scores = {arr_label(s)[2:]}"),
            Case((y2, s2), {}, "a boolean y_true and integer scores between 0 and 120"),
            Case((y3.tolist(), s3.tolist()), {}, "Python lists, negative scores (logits)")]


def _roc_tie_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "roc_curve", "ties"))
    y = (rng.random(300) < 0.3).astype(int)
    s = np.round(rng.random(300) * 0.7 + 0.3 * y, 1)
    y2 = (rng.random(100) < 0.5).astype(int)
    s2 = rng.integers(0, 5, size=100)
    return [Case((y, s), {}, "300 samples with scores rounded to one decimal (many ties)"),
            Case((y2, s2), {}, "100 samples with integer ratings 0-4 (many ties)"),
            Case((np.array([0, 1, 1, 0, 1, 0]), np.full(6, 0.5)), {}, "every score equal to 0.5")]


def _auc_tie_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "roc_auc", "ties"))
    y = (rng.random(300) < 0.3).astype(int)
    s = np.round(rng.random(300) * 0.7 + 0.3 * y, 1)
    y2 = (rng.random(120) < 0.2).astype(int)
    s2 = rng.integers(1, 6, size=120) + y2
    y3 = (rng.random(150) < 0.4).astype(int)
    s3 = rng.normal(size=150) + y3
    return [Case((y, s), {}, "300 samples with scores rounded to one decimal (many ties)"),
            Case((y2, s2), {}, "120 samples, 20% positives, integer ratings 1-6 (many ties)"),
            Case((np.array([0, 1, 1, 0, 1, 0]), np.full(6, 0.5)), {}, "every score equal to 0.5"),
            Case((y3, s3), {}, "150 samples with continuous scores (no ties)")]


def _auc_extreme_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "roc_auc", "extremes"))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    s = np.r_[rng.random(30) * 0.5, 0.6 + rng.random(10) * 0.4]
    perm = rng.permutation(40)
    ties = np.r_[np.full(8, 0.2), np.full(5, 0.9)]
    y_ties = np.r_[np.zeros(8, int), np.ones(5, int)]
    return [Case((y[perm], s[perm]), {}, "perfectly separated scores (every positive above every negative)"),
            Case((y[perm], -s[perm]), {}, "perfectly inverted scores (every positive below every negative)"),
            Case((y_ties, ties), {}, "perfectly separated scores, tied within each class"),
            Case((y_ties, 1 - ties), {}, "perfectly inverted scores, tied within each class")]


def _both_classes(args, kwargs):
    """The curve needs a positive and a negative (scikit-learn returns nan rates otherwise)."""
    return len(np.unique(args[0])) == 2


# the contract's inputs: 0/1 labels with both classes, any length, float scores at scales 1e-8 to 1e3 (tiny
# likelihoods, distinct scores 1e-14 apart: ties are exact equality) and integer scores (many ties)
ROC_DOMAIN = Domain(args=(Arrays(dims=("n",), dtypes=("int64",), ints=(0, 1)),
                          Arrays(dims=("n",), dtypes=("float64", "int64"), ints=(-3, 3))),
                    names=("y_true", "scores"), dim_sizes={"n": (2, 12)}, scales=(1e-8, 1.0, 1e3),
                    where=_both_classes, examples=12)

def _merged_auc(case, obs, expected):
    got = as_numeric(obs.get("value"))
    y, s = case.args
    return got is not None and got.shape == () and len(np.unique(merge_close(s))) < len(np.unique(s)) \
        and bool(np.isclose(float(got), auc_ref(y, merge_close(s)))) and not np.isclose(float(got), expected)


def _merged_roc(case, obs, expected):
    got = _arrays(obs)
    y, s = case.args
    if got is None or len(np.unique(merge_close(s))) == len(np.unique(s)):
        return False
    fpr, tpr, _ = roc_ref(y, merge_close(s))
    return len(got[0]) == len(fpr) and np.allclose(got[0], fpr) and np.allclose(got[1], tpr)


# failures found by the generated cases: the hand-picked scores are never closer than 1e-8 without being equal
ROC_EDGE = returns(roc_ref, each(close(), close(), close(), names=("fpr", "tpr", "thresholds")),
                   (*ROC_MISTAKES, Mistake(TIES_TOLERANCE, TIES_MESSAGE, detect=_merged_roc)),
                   expect_text="(fpr, tpr, thresholds) as roc_curve(..., drop_intermediate=False)")
AUC_EDGE = returns(auc_ref, close(), (*AUC_MISTAKES, Mistake(TIES_TOLERANCE, TIES_MESSAGE, detect=_merged_auc)),
                   expect_text="the area under the ROC curve")

EXAMPLE = Case((np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])), {},
               "y_true = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]")
ROC = returns(roc_ref, each(close(), close(), close(), names=("fpr", "tpr", "thresholds")), ROC_MISTAKES,
              expect_text="(fpr, tpr, thresholds) as roc_curve(..., drop_intermediate=False)")
AUC = returns(auc_ref, close(), AUC_MISTAKES, expect_text="the area under the ROC curve")

roc_curve = Exercise(
    "roc_curve",
    blocked=("sklearn.metrics.roc_curve", "sklearn.metrics.roc_auc_score", "sklearn.metrics.det_curve"),
    skill="evaluation",
    hints=(
        "Lower the threshold from +inf past every distinct score; at each step count the positives (tpr) and "
        "negatives (fpr) scoring at or above it. The AUC is the area under those points.",
        "Sort by score, descending; cumulative sums of y and 1 - y give TP and FP after each sample; keep only the "
        "last index of each run of equal scores (that merges ties), and prepend (0, 0) with threshold inf.",
        "`order = np.argsort(-s, kind='stable'); s, y = s[order], y[order]; last = np.r_[np.diff(s) != 0, True]`; "
        "`tps = np.cumsum(y)[last]; fps = np.cumsum(1 - y)[last]`; AUC: `np.trapezoid(tpr, fpr)`",
    ),
    checks=(
        Check("the example in the notebook: roc_curve", 1, [EXAMPLE], ROC),
        Check("roc_curve matches scikit-learn (drop_intermediate=False)", 1, _roc_random_cases, ROC),
        Check("roc_curve: tied scores make a single step", 2, _roc_tie_cases, ROC),
        Check("the example in the notebook: roc_auc", 1, [EXAMPLE], AUC, target="roc_auc"),
        Check("roc_auc with many tied scores", 1, _auc_tie_cases, AUC, target="roc_auc"),
        Check("roc_auc on perfectly separated and perfectly inverted scores", 2, _auc_extreme_cases, AUC,
              target="roc_auc"),
        # two functions, two searches (one point each, from the two broadest hand-picked checks)
        generated(ROC_DOMAIN, ROC_EDGE, 1, seed_for("05_evaluation", "roc_curve", "domain"),
                  title="roc_curve holds on inputs generated from its contract (lengths, scales, ties)"),
        generated(ROC_DOMAIN, AUC_EDGE, 1, seed_for("05_evaluation", "roc_auc", "domain"), target="roc_auc",
                  title="roc_auc holds on inputs generated from its contract (lengths, scales, ties)"),
    ),
)
