"""DecisionTree: CART classification tree with Gini, max_depth and min_samples_split.

Graded against sklearn's DecisionTreeClassifier on data whose best split is
unique at every node and whose leaves have no vote ties (checked with the
reference in ``treeref``), so every correct tree is the same tree. Features are
integer-valued (exact in float32, which sklearn uses) and queries sit a quarter
away from them, never on a threshold. The seeded datasets found so, and the reference
trees of the cases, are kept between grading runs (engine/kept_values.py): finding
them grew a few hundred trees, 0.2 s before a cold grade's first DecisionTree probe.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from graders.engine.domains import OMIT, Arrays, Domain, Pin
from graders.engine.kept_values import kept_oracle
from graders.engine.results import Status
from graders.engine.spec import Case, Exercise, seed_for

from .common import (Reject, called, estimator_check, estimator_generated, incorrect, labels, negative_labels_named,
                     run)
from .data import bundled, rng_for
from .treeref import grow, predict_tree, thresholds

VARIANTS = (
    ("depth-off-by-one", "your tree is one level too deep: max_depth counts splits from the root (depth 0), so "
     "stop splitting a node once its depth equals max_depth", {"max_depth": 1}),
    ("depth-off-by-one", "your tree is one level too shallow: max_depth=d allows d levels of splits below the root "
     "(depth 0); stop when depth == max_depth, not when depth == max_depth - 1", {"max_depth": -1}),
    ("min-samples-split-off-by-one", "a node with exactly min_samples_split samples may still be split; stop only "
     "when it has fewer", {"min_samples_split": 1}),
    ("unweighted-children", "your splits average the children's Gini without weights; weight each child by its "
     "share of the samples (n_left/n, n_right/n)", {"weighted": False}),
    ("threshold-not-midpoint", "your thresholds are data values, not midpoints: new points between two training "
     "values fall on the wrong side. Split at (x_i + x_(i+1)) / 2", {"threshold": "low"}),
    ("threshold-not-midpoint", "your thresholds are data values, not midpoints: new points between two training "
     "values fall on the wrong side. Split at (x_i + x_(i+1)) / 2", {"threshold": "high"}),
)


def _variant(X, y, max_depth, min_samples_split, change):
    depth = max_depth
    if depth is not None and "max_depth" in change:
        depth = depth + change["max_depth"]
        if depth < 0:
            return None
    elif "max_depth" in change:
        return None
    mss = min_samples_split + change.get("min_samples_split", 0)
    return grow(X, y, depth, mss, change.get("weighted", True), change.get("threshold", "mid"))


def _judge(case, record):
    X, y, X_query, max_depth, min_samples_split, tree = case.extra
    pred = labels(case, called(case, record, "pred"), len(X_query), np.unique(y))
    expected = predict_tree(tree, X_query)
    if np.array_equal(pred, expected):
        return
    for mistake, message, change in VARIANTS:
        other = _variant(X, y, max_depth, min_samples_split, change)
        if other is not None:
            variant = predict_tree(other, X_query)
            if np.array_equal(pred, variant) and not np.array_equal(variant, expected):
                raise incorrect(case, message + ".", mistake)
    wrong = int((pred != expected).sum())
    raise incorrect(case, f"{wrong} of {len(pred)} predictions differ from the CART tree (Gini, best split at "
                          "every node, majority label in each leaf).")


def checked_tree(X, y, max_depth=None, min_samples_split=2):
    """The reference tree of a case: None unless every split is unique and no leaf ties (treeref.grow)."""
    return grow(X, y, max_depth, min_samples_split, check=True)


TREE = kept_oracle(checked_tree, "03_algorithms-tree")       # a case's reference tree, per case


def _case(X, y, X_query, label, max_depth=None, min_samples_split=2, tree_of=checked_tree):
    tree = tree_of(X, y, max_depth, min_samples_split)
    if tree is None:
        return None
    init = {"max_depth": max_depth, "min_samples_split": min_samples_split}
    r = run(init_kwargs=init, fit=(X, y), calls=[("pred", "predict", (X_query,))])
    return Case((r,), {}, label, extra=(X, y, X_query, max_depth, min_samples_split, tree))


def _queries(X):
    return np.vstack([X, X + 0.25, X - 0.25])


def first_dataset(part: str, maker: tuple, need: tuple, kwargs: tuple):
    """(X, y): the first seeded dataset of ``maker`` (``("grid" or "rule", its arguments)``) whose tree (with the
    ``kwargs`` pairs) has unique splits and whose ``need``ed variants differ from it."""
    make, rng = MAKERS[maker[0]](*maker[1:]), rng_for("DecisionTree", part)
    for _ in range(300):
        X, y = make(rng)
        case = _case(X, y, _queries(X), "", **dict(kwargs))
        if case is not None and _variants_differ(case, need):
            return X, y
    raise RuntimeError(f"no dataset with unique splits found for {part}")


FIRST_DATASET = kept_oracle(first_dataset, "03_algorithms-tree-datasets")


def _search(part, maker, label, need=("threshold",), **kwargs):
    """The case of the first seeded dataset that ``first_dataset`` accepts."""
    X, y = FIRST_DATASET(part, maker, tuple(need), tuple(sorted(kwargs.items())))
    return [_case(X, y, _queries(X), label, **kwargs, tree_of=TREE)]


def _variants_differ(case, need) -> bool:
    X, y, X_query, max_depth, mss, tree = case.extra
    expected = predict_tree(tree, X_query)
    for _, _, change in VARIANTS:
        if next(iter(change)) in need:
            other = _variant(X, y, max_depth, mss, change)
            if other is None or np.array_equal(predict_tree(other, X_query), expected):
                return False
    return True


def _grid(n, d, size, classes):
    """Integer features; labels from a noisy linear score (impure regions: depth limits matter)."""
    def make(rng):
        X = rng.integers(0, size, size=(n, d)).astype(float)
        w = rng.normal(size=d)
        score = (X - size / 2) @ w + rng.normal(size=n) * size * 0.3
        y = np.digitize(score, np.quantile(score, np.linspace(0, 1, classes + 1)[1:-1]))
        return X, y
    return make


def _rule(n, d, size, classes, depth=3):
    """Integer features; labels from a random axis-aligned rule of the given depth (pure regions)."""
    def make(rng):
        X = rng.integers(0, size, size=(n, d)).astype(float)

        def label(rows, level):
            if level == depth or len(rows) < 4:
                return np.full(len(rows), rng.integers(0, classes))
            f, t = rng.integers(0, d), rng.integers(size // 5, 4 * size // 5) + 0.5
            out, left = np.empty(len(rows), dtype=np.int64), X[rows, f] <= t
            out[left], out[~left] = label(rows[left], level + 1), label(rows[~left], level + 1)
            return out
        return X, label(np.arange(n), 0)
    return make


MAKERS = {"grid": _grid, "rule": _rule}


def _full_cases():
    return (_search("full-2d", ("rule", 40, 2, 60, 2), "40 integer-valued points in 2-D, grown to purity")
            + _search("full-4d", ("rule", 60, 4, 100, 3), "60 points, 4 features, 3 classes, grown to purity"))


def _depth_cases():
    need = ("max_depth", "weighted", "threshold")
    return (_search("depth2", ("grid", 80, 3, 100, 2), "80 points, 3 features, max_depth=2", need, max_depth=2)
            + _search("depth3", ("grid", 120, 5, 200, 3), "120 points, 5 features, 3 classes, max_depth=3", need,
                      max_depth=3)
            + _search("depth1", ("grid", 50, 2, 50, 2), "a stump: max_depth=1", ("max_depth",), max_depth=1))


def _min_split_cases():
    need = ("min_samples_split", "weighted")
    return (_search("mss", ("grid", 80, 3, 100, 2), "80 points, min_samples_split=10", need, min_samples_split=10)
            + _search("mss-depth", ("grid", 100, 4, 100, 3), "100 points, 3 classes, max_depth=4, "
                      "min_samples_split=25", need, max_depth=4, min_samples_split=25))


def _real_cases():
    out = []
    for name, depth, rows, cols, mss in [("wine", 3, 150, None, 2), ("breast_cancer", 2, 400, 10, 2),
                                         ("digits", 4, 200, None, 10)]:
        X, y = bundled(name)
        X = X[:, :cols]
        what = f"{rows} training rows" + (f", its first {cols} features" if cols else "")
        extra = f", min_samples_split={mss}" if mss != 2 else ""
        case = _case(X[:rows], y[:rows], X[rows:rows + 300], f"the {name.replace('_', '-')} data ({what}), "
                     f"max_depth={depth}{extra}, predicting held-out rows", max_depth=depth, min_samples_split=mss,
                     tree_of=TREE)
        assert case is not None, name
        out.append(_drop_knife_edges(case))
    return out


def _drop_knife_edges(case):
    """Real-valued queries that sit (almost) on a threshold are not compared (float32 in sklearn)."""
    X, y, X_query, max_depth, mss, tree = case.extra
    keep = np.ones(len(X_query), dtype=bool)
    for f, t in thresholds(tree):
        keep &= np.abs(X_query[:, f] - t) > 1e-6 * max(1.0, abs(t))
    r = run(init_kwargs=case.args[0]["init"][1], fit=(X, y), calls=[("pred", "predict", (X_query[keep],))])
    return Case((r,), {}, case.label, extra=(X, y, X_query[keep], max_depth, mss, tree))


def _example_cases():
    X = np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 1.0], [4.0, 1.0], [5.0, 0.0], [6.0, 1.0]])
    y = np.array([0, 0, 1, 1, 0, 1])
    return [_case(X, y, np.array([[1.5, 0.0], [3.5, 1.0], [5.0, 0.0], [6.0, 1.0]]),
                  "the 6-point example, grown to purity")]


def _drawn_tree(args, kwargs):
    X, y, _ = args
    return grow(X, y, kwargs.get("max_depth"), kwargs.get("min_samples_split", 2), check=True)


def _well_posed(args, kwargs) -> bool:
    """Two classes at least, and no query within round-off of a threshold of the tree (where a midpoint
    computed as a + (b - a) / 2 may put it on the other side); a tree whose leaves tie is no tree (None)."""
    X, y, X_query = args
    if len(np.unique(y)) < 2:
        return False
    tree = _drawn_tree(args, kwargs)
    return tree is None or all(np.all(np.abs(np.asarray(X_query, dtype=float)[:, f] - t) > 1e-9 * max(1.0, abs(t)))
                               for f, t in thresholds(tree))


def _drawn_run(case):
    X, y, X_query = case.args
    kwargs = {"max_depth": None, "min_samples_split": 2, **case.kwargs}
    r = run(init_kwargs=case.kwargs, fit=(X, y), calls=[("pred", "predict", (X_query,))])
    return dataclasses.replace(case, args=(r,), extra=(X, y, X_query, kwargs["max_depth"], kwargs["min_samples_split"],
                                                       _drawn_tree(case.args, case.kwargs)))


def _judge_edges(case, record):
    try:
        _judge(case, record)
    except Reject as rejected:
        if rejected.failure.status is Status.ERROR and "NoneType" in rejected.failure.message:
            raise incorrect(case, "a node whose rows have equal features but different labels cannot be split: "
                                  "best_split returns None there. Make such a node a leaf (its majority label) "
                                  "instead of unpacking None.", "unsplittable-node") from None
        raise


# the contract's inputs: training rows (n, d) and queries (m, d), small integers (0..4: repeated values, rows
# that no split separates) or real values near 0 or around a million at scales 1e-3..1e3 (the queries where the
# data is: same_offsets, y declares the offsets only to match; integer labels ignore them), labels -1..2,
# max_depth and min_samples_split around the defaults. The pin: only data whose best split is unique at every
# node (grow(check=True), which also rules out leaves whose vote ties); queries off the thresholds
TREE_DOMAIN = Domain(
    args=(Arrays(dims=("n", "d"), dtypes=("float64", "int64"), ints=(0, 4), offsets=(0.0, 1e6)),
          Arrays(dims=("n",), dtypes=("int64",), ints=(-1, 2), offsets=(0.0, 1e6)),
          Arrays(dims=("m", "d"), dtypes=("float64", "int64"), ints=(0, 4), offsets=(0.0, 1e6))),
    kwargs={"max_depth": (OMIT, 1, 2), "min_samples_split": (OMIT, 3, 5)},
    names=("X", "y", "X_query"), dim_sizes={"n": (2, 12), "d": (1, 3), "m": (1, 6)}, scales=(1e-3, 1e3),
    where=_well_posed, same_offsets=True, examples=20,
    pins=(Pin("tree comparisons with sklearn use data whose best splits are unique",
              lambda args, kwargs: _drawn_tree(args, kwargs) is None),))


DecisionTree = Exercise(
    "DecisionTree",
    blocked=("sklearn.tree",),
    skill="classical-ml",
    hints=(
        "A tree splits a node with best_split, then splits each child the same way, until a node is pure, too "
        "small (fewer than min_samples_split rows) or at max_depth. A leaf predicts its majority label.",
        "Write a recursive build(rows, depth) that returns either a leaf {'label': ...} or a node "
        "{'feature', 'threshold', 'left', 'right'}; predict walks each row down: x[feature] <= threshold goes left.",
        "`if depth == self.max_depth or len(rows) < self.min_samples_split or gini(y[rows]) == 0: return leaf`; "
        "`f, t, _ = best_split(X[rows], y[rows]); left = rows[X[rows, f] <= t]`",
    ),
    checks=(
        estimator_check("the example in the notebook", 1, _example_cases, _judge),
        estimator_check("grown to purity, predictions equal the CART tree's", 2, _full_cases, _judge, timeout=30.0),
        estimator_check("max_depth limits the levels of splits", 2, _depth_cases, _judge, timeout=30.0),
        estimator_check("min_samples_split stops small nodes", 2, _min_split_cases, _judge, timeout=30.0),
        estimator_check("on real data, predictions equal sklearn's DecisionTreeClassifier", 2, _real_cases, _judge,
                        timeout=60.0),
        estimator_generated(TREE_DOMAIN, negative_labels_named(_judge_edges, lambda case: case.extra[1]), 1,
                            seed_for("03_algorithms", "DecisionTree", "domain"), _drawn_run),
    ),
)
