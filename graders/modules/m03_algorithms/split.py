"""gini and best_split: the impurity of a node and the best axis-aligned split of it.

Contract: thresholds are midpoints between consecutive distinct values, rows with
x[feature] <= threshold go left, the decrease is gini(parent) minus the
size-weighted Gini of the children, ties go to the lowest feature then the lowest
threshold (graded only on exact ties: copied features and mirror-image labels),
and None means no feature takes two values.
"""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric, close, describe
from graders.engine.domains import Arrays, Domain
from graders.engine.judges import error_failure, returns
from graders.engine.results import Status
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Failure, Mistake, arr_label, checks_with, seed_for

from .data import bundled, rng_for
from .treeref import best_of, candidate_splits, gini_ref, last_of, unique_best

BLOCKED = ("sklearn.tree",)

GINI_MISTAKES = (
    Mistake("purity-not-impurity", "you returned sum(p_k²), the probability that two draws agree; Gini impurity "
            "is 1 - sum(p_k²).", variant=lambda y: 1.0 - gini_ref(y)),
    Mistake("counts-not-proportions", "use class proportions p_k = count_k / n, not raw counts.",
            variant=lambda y: 1.0 - float(np.sum(np.unique(y, return_counts=True)[1] ** 2.0))),
    Mistake("entropy", "that is the entropy; Gini impurity is 1 - sum(p_k²).",
            variant=lambda y: float(-np.sum((c := np.unique(y, return_counts=True)[1] / len(y)) * np.log2(c)))),
)


def _gini_cases():
    rng = rng_for("gini", "labels")
    a = rng.integers(0, 3, size=50)
    b = rng.choice([3, 8, 11, 40], size=33)
    return [Case((np.array([0, 0, 1, 1]),), {}, "y = [0, 0, 1, 1]"),
            Case((a,), {}, f"{arr_label(a, 'y')} with 3 classes"),
            Case((b,), {}, f"{arr_label(b, 'y')} with labels 3, 8, 11, 40"),
            Case((np.array([7, 7, 7]),), {}, "a pure node y = [7, 7, 7]"),
            Case((np.array([1, 0, 0, 0, 0, 0, 0, 0]),), {}, "y = [1, 0, 0, 0, 0, 0, 0, 0]")]


def _judge_split(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        X, y = case.args
        splits = candidate_splits(X, y)
        expected = best_of(splits)
        got = obs["value"]
        on = f"On {case.label}: "
        if expected is None:
            if got is not None:
                return Failure(Status.INCORRECT, on + "no feature takes two different values, so no split exists: "
                                                      f"return None (got {describe(got)}).", "no-split-not-none")
            continue
        if got is None:
            if expected[2] <= 1e-9:     # every split leaves the impurity as it is (up to round-off)
                return Failure(Status.INCORRECT, on + "a split exists (a feature takes two values) but none of "
                               "them lowers the impurity, and you returned None: None means only that no "
                               "feature takes two values. Start from no best split (or a decrease of -inf) so "
                               "the first candidate is kept even at a decrease of 0.", "zero-decrease-none")
            return Failure(Status.INCORRECT, on + "a split exists but you returned None.")
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            return Failure(Status.INCORRECT, on + f"expected (feature, threshold, impurity_decrease), got "
                                                  f"{describe(got)}.")
        parts = [as_numeric(g) for g in got]
        if any(p is None or p.shape != () for p in parts):
            return Failure(Status.INCORRECT, on + "feature, threshold and impurity_decrease must be three numbers.")
        f, t, dec = (float(p) for p in parts)
        ef, et, edec = expected[:3]
        same_split = f == ef and close()(t, et) is None
        if same_split and close()(dec, edec) is None:
            continue
        failure = _name_split_mistake(case, splits, expected, f, t, dec, same_split)
        if failure is not None:
            return failure
        return Failure(Status.INCORRECT, on + "expected the split with the largest impurity decrease (feature "
                                              f"{int(ef)}); yours is feature {f:g} at threshold {t:g}.")
    return None


def _name_split_mistake(case, splits, expected, f, t, dec, same_split):
    on = f"On {case.label}: "
    ef, et, edec, lo, hi = expected
    if same_split:
        n = len(case.args[1])
        if close()(dec, gini_ref(case.args[1]) - edec) is None:
            message, mistake = "you returned the children's weighted impurity; return the decrease, gini(y) minus " \
                               "that", "child-impurity-not-decrease"
        elif close()(dec, _unweighted_decrease(case.args, ef, et)) is None:
            message, mistake = "you averaged the children's Gini without weights; weight each child by its share " \
                               "of the samples: n_left/n · gini(left) + n_right/n · gini(right)", "unweighted-children"
        elif close()(dec, n * edec) is None:
            message, mistake = "your decrease is n times too large: weight the children by n_left/n and n_right/n", \
                               "unnormalised-decrease"
        else:
            message, mistake = "right split, wrong impurity_decrease: it is gini(y) - (n_left/n · gini(y_left) " \
                               "+ n_right/n · gini(y_right))", "wrong-decrease"
        return Failure(Status.INCORRECT, on + message + ".", mistake)
    if f == ef and (t == lo or t == hi):
        return Failure(Status.INCORRECT, on + "your threshold is a data value; the contract puts it halfway between "
                       "two consecutive distinct values ((x_i + x_(i+1)) / 2), so that new points between them are "
                       "split fairly.", "threshold-not-midpoint")
    unweighted = best_of(candidate_splits(*case.args, weighted=False))
    if (f, t) == tuple(unweighted[:2]) and (ef, et) != tuple(unweighted[:2]):
        return Failure(Status.INCORRECT, on + "you averaged the children's Gini without weights; weight each child "
                       "by its share of the samples: n_left/n · gini(left) + n_right/n · gini(right). Unweighted, a "
                       "split that peels off one pure sample looks as good as a balanced one.", "unweighted-children")
    last = last_of(splits)
    if (f, t) == tuple(last[:2]) and not unique_best(splits):
        return Failure(Status.INCORRECT, on + "several splits tie for the largest decrease and you kept the last; "
                       "keep the lowest feature, then the lowest threshold (replace the best only when strictly "
                       "better).", "ties-last")
    return None


def _unweighted_decrease(args, feature, threshold) -> float:
    for f, t, dec, _, _ in candidate_splits(*args, weighted=False):
        if f == feature and t == threshold:
            return dec
    return float("nan")


def _unique_cases(rng, n_cases, make):
    out = []
    while len(out) < n_cases:
        X, y, label = make(rng)
        if unique_best(candidate_splits(X, y)):
            out.append(Case((X, y), {}, label))
    return out


def _random_cases():
    rng = rng_for("gini", "random")
    makers = [
        lambda r: (r.integers(0, 30, size=(40, 3)).astype(float), r.integers(0, 2, size=40),
                   "a (40, 3) array of integer values, two classes"),
        lambda r: (np.round(r.normal(size=(60, 5)), 2), r.integers(0, 3, size=60),
                   "a (60, 5) float array, three classes"),
        lambda r: (r.normal(size=(25, 2)) * [1.0, 1000.0], r.choice([4, 9], size=25),
                   "a (25, 2) float array on different scales, labels 4 and 9"),
    ]
    out = []
    for make in makers:
        out += _unique_cases(rng, 1, make)
    X, y = bundled("wine")
    out.append(Case((X[:60], y[:60]), {}, "60 rows of the wine data"))
    return out


def _midpoint_cases():
    X = np.array([[0.0, 5.0], [10.0, 5.0], [20.0, 5.0], [40.0, 5.0], [70.0, 5.0], [80.0, 5.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    return [Case((X, y), {}, "values 0, 10, 20, 40, 70, 80 (gaps between them) and a constant feature")]


def _weighted_cases():
    rng = rng_for("gini", "weighted")
    out = []
    while len(out) < 2:
        X = rng.integers(0, 20, size=(30, 2)).astype(float)
        y = (X[:, 0] + rng.normal(size=30) * 6 > 10).astype(int)
        splits = candidate_splits(X, y)
        unweighted = candidate_splits(X, y, weighted=False)
        if unique_best(splits) and unique_best(unweighted) and best_of(splits)[:2] != best_of(unweighted)[:2]:
            out.append(Case((X, y), {}, f"a (30, 2) integer-valued array (case {len(out) + 1})"))
    return out


def _tie_cases():
    rng = rng_for("gini", "ties")
    x = rng.permutation(12).astype(float)
    y = (x >= 6).astype(int)
    y[x == 2] = 1
    X = np.c_[x, rng.normal(size=12).round(2), 3 * x + 1]
    mirror = np.c_[np.arange(6.0)]
    return [Case((X, y), {}, "features 0 and 2 that order the rows identically (feature 2 = 3·x0 + 1)"),
            Case((mirror, np.array([1, 0, 0, 0, 0, 1])), {}, "x = [0, 1, 2, 3, 4, 5], y = [1, 0, 0, 0, 0, 1] "
                                                              "(splits at 0.5 and 4.5 tie)")]


def _none_cases():
    # the last case has a split: returning None everywhere is not "knowing when no split exists"
    varying = np.ones((5, 3))
    varying[:, 1] = [0.0, 1.0, 0.0, 1.0, 1.0]
    return [Case((np.ones((5, 3)), np.array([0, 1, 0, 1, 1])), {}, "constant features (all ones)"),
            Case((np.array([[2.0, 3.0]]), np.array([1])), {}, "a single row"),
            Case((varying, np.array([0, 1, 0, 1, 1])), {}, "the same rows with feature 1 varying (a split exists)")]


_split_check = checks_with(judge=_judge_split, target="best_split")


def _signature(X, y, feature, threshold):
    """The class counts of the two children, unordered: splits with equal signatures have bit-equal
    decreases in any symmetric formula; others that tie mathematically may differ in the last bit."""
    _, codes = np.unique(y, return_inverse=True)
    left = np.asarray(X, dtype=float)[:, feature] <= threshold
    k = codes.max() + 1
    return tuple(sorted((tuple(np.bincount(codes[left], minlength=k)), tuple(np.bincount(codes[~left], minlength=k)))))


def _robust_best(args, kwargs):
    """Well-posed: the best decrease is unique, or every split within 1e-9 of it has the same child counts
    (copied features, mirror images: exact ties in any arithmetic), or y is pure (every decrease is exactly
    0). Splits that tie only up to rounding (different counts) would make the tie rule depend on the order of
    floating-point operations, which the contract does not fix."""
    X, y = args
    splits = candidate_splits(X, y)
    if not splits or len(np.unique(y)) == 1:
        return True
    top = max(s[2] for s in splits)
    return len({_signature(X, y, s[0], s[1]) for s in splits if s[2] > top - 1e-9}) == 1


# the contract's inputs: X of any (n, d) (a single row, a single feature, constant features: None), float
# values near 0 or around a million (midpoints there), int-valued X (many repeated values), labels 0..2
# (a pure y: every split has decrease 0 and one is still returned). Splits that tie only up to rounding
# are left out (_robust_best); exact ties (copied features, mirror images) stay: the pin's tie rule
SPLIT_DOMAIN = Domain(
    args=(Arrays(dims=("n", "d"), dtypes=("float64", "int64"), offsets=(0.0, 1e6), ints=(0, 4)),
          Arrays(dims=("n",), dtypes=("int64",), ints=(0, 2))),
    names=("X", "y"), dim_sizes={"n": (1, 8), "d": (1, 3)}, scales=(1.0, 1e3), where=_robust_best, examples=24)


gini = Exercise(
    "gini",
    blocked=BLOCKED,
    skill="classical-ml",
    hints=(
        "Gini impurity is the chance that two labels drawn at random from the node disagree: 1 - sum_k p_k². "
        "A split is good when its children are purer than the parent, weighted by their sizes.",
        "For each feature, sort its distinct values; each midpoint between neighbours is a candidate "
        "threshold. Score it with gini(y) - (n_L/n·gini(y_L) + n_R/n·gini(y_R)); keep the best, replacing it "
        "only when strictly better, so ties keep the lowest feature and threshold.",
        "`for f in range(d): v = np.unique(X[:, f]); for t in (v[:-1] + v[1:]) / 2: left = X[:, f] <= t; "
        "dec = g - (left.mean() * gini(y[left]) + (~left).mean() * gini(y[~left]))`",
    ),
    checks=(
        Check("the examples in the notebook", 1,
              [Case((np.array([[1.0], [2.0], [3.0], [4.0]]), np.array([0, 0, 1, 1])), {},
                    "X = [[1], [2], [3], [4]], y = [0, 0, 1, 1]")],
              _judge_split, target="best_split"),
        Check("gini(y) matches 1 - sum of squared class proportions", 2, _gini_cases,
              returns(gini_ref, close(), GINI_MISTAKES, expect_text="1 - sum(p_k²)"), target="gini"),
        _split_check("best_split finds the split with the largest impurity decrease", 2, _random_cases),
        _split_check("thresholds sit halfway between consecutive values", 1, _midpoint_cases),
        _split_check("children are weighted by their sizes", 1, _weighted_cases),
        _split_check("ties go to the lowest feature, then the lowest threshold", 1, _tie_cases),
        _split_check("returns None when no split exists, a split when one does", 1, _none_cases),
        generated(SPLIT_DOMAIN, _judge_split, 1, seed_for("03_algorithms", "gini", "domain"), target="best_split"),
    ),
)
