"""mdi_importance: impurity-based importances from a tree's node arrays; a list of trees -> their mean.

The oracle is sklearn's own ``feature_importances_`` of the fitted tree or forest the plain copies were
taken from: kept here, in the grading process, keyed by the copy handed to the learner. The fits themselves
(copies, importances, labels) are kept between grading runs (engine/kept_values.py): a grade after
``mlkata warm`` does not import scikit-learn.
"""
from __future__ import annotations

import numpy as np

from graders.engine.compare import close
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .common import MODULE_ID
from .helpers import tree_arrays

_EXPECTED: dict = {}        # id(input) -> (input, sklearn's importances); the input is kept so its id stays unique


def mdi_ref(tree):
    return _EXPECTED[id(tree)][1]


def _raw(t, decrease="weighted", weights="weighted"):
    n = t.weighted_n_node_samples if weights == "weighted" else t.n_node_samples
    out = np.zeros(t.n_features)
    for node in range(len(t.children_left)):
        left, right = t.children_left[node], t.children_right[node]
        if left == -1:
            continue
        if decrease == "weighted":
            dec = n[node] * t.impurity[node] - n[left] * t.impurity[left] - n[right] * t.impurity[right]
        elif decrease == "unweighted":
            dec = t.impurity[node] - t.impurity[left] - t.impurity[right]
        else:                                         # counting splits
            dec = 1.0
        out[t.feature[node]] += dec
    return out


def _norm(v):
    total = v.sum()
    return v / total if total > 0 else v


def _combine(tree, per_tree, renormalise=True, skip_stumps=True):
    if not isinstance(tree, (list, tuple)):
        return per_tree(tree)
    parts = [per_tree(t) for t in tree if not skip_stumps or len(t.children_left) > 1]
    if not parts:
        return np.zeros(tree[0].n_features)
    mean = np.mean(parts, axis=0)
    return _norm(mean) if renormalise else mean


def _unweighted(tree):
    return _combine(tree, lambda t: _norm(_raw(t, decrease="unweighted")))


def _unnormalised(tree):
    return _combine(tree, lambda t: _raw(t) / t.weighted_n_node_samples[0], renormalise=False)


def _splits(tree):
    return _combine(tree, lambda t: _norm(_raw(t, decrease="count")))


def _unweighted_samples(tree):
    return _combine(tree, lambda t: _norm(_raw(t, weights="count")))


MISTAKES = (
    Mistake("decrease-not-weighted", "your impurity decrease is not weighted by the node's sample share: a split's "
            "decrease is N_t·i(t) - N_left·i(left) - N_right·i(right) (weighted_n_node_samples)",
            variant=_unweighted),
    Mistake("not-normalised", "your importances are not normalised: divide by their sum so that they sum to 1 "
            "(for a forest, normalise each tree, average, and normalise again)", variant=_unnormalised),
    Mistake("counting-splits", "you counted the splits on each feature: MDI sums the weighted impurity decreases "
            "of those splits", variant=_splits),
    Mistake("sample-weights-ignored", "you used n_node_samples: with sample weights the node sizes are "
            "weighted_n_node_samples", variant=_unweighted_samples),
)


def _register(copy, expected, label):
    _EXPECTED[id(copy)] = (copy, np.asarray(expected, dtype=float))
    return Case((copy,), {}, label)


def _data(rng, n, d, classify):
    X = rng.normal(size=(n, d))
    z = X[:, 0] * 2 + X[:, 1] * X[:, 2] - X[:, 3 % d]
    y = (z > 0).astype(int) if classify else z + rng.normal(size=n) * 0.5
    return X, y


def _fits(kind: str):
    """(plain copy, sklearn's importances, label) for each case of ``kind``, fitted with scikit-learn."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    if kind == "example":
        rng = np.random.default_rng(0)
        X, y = _data(rng, 60, 3, False)
        est = DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, y)
        return [(tree_arrays(est.tree_), est.feature_importances_,
                 "the notebook's example: a depth-3 regression tree on 3 features")]
    rng = np.random.default_rng(seed_for(MODULE_ID, "mdi_importance", "random"))
    X, y = _data(rng, 200, 5, True)
    sw = rng.uniform(0.2, 3.0, size=len(y))
    clf = DecisionTreeClassifier(max_depth=4, random_state=1).fit(X, y, sample_weight=sw)
    Xr, yr = _data(rng, 150, 4, False)
    reg = DecisionTreeRegressor(max_depth=5, min_samples_leaf=3, random_state=2).fit(Xr, yr)
    forest = RandomForestClassifier(n_estimators=6, max_depth=3, random_state=3).fit(X, y, sample_weight=sw)
    stump = DecisionTreeRegressor().fit(Xr, np.ones(len(yr)))            # a single node: no split at all
    trees = [DecisionTreeRegressor(max_depth=d, random_state=d).fit(Xr, yr) for d in (2, 4)]
    parts = [t.feature_importances_ for t in trees]
    mixed = [tree_arrays(trees[0].tree_), tree_arrays(stump.tree_), tree_arrays(trees[1].tree_)]
    mean = np.mean(parts, axis=0)
    return [
        (tree_arrays(clf.tree_), clf.feature_importances_,
         "a depth-4 Gini classification tree on 5 features, fitted with sample weights"),
        (tree_arrays(reg.tree_), reg.feature_importances_, "a depth-5 regression tree on 4 features"),
        ([tree_arrays(e.tree_) for e in forest.estimators_], forest.feature_importances_,
         "a list of the 6 trees of a random forest fitted with sample weights"),
        (mixed, mean / mean.sum(), "a list of three regression trees, one of which never splits"),
        (tree_arrays(stump.tree_), stump.feature_importances_, "a tree that never splits (one node)"),
    ]


FITS = kept_oracle(_fits, f"{MODULE_ID}-mdi-fits", ("scikit-learn",))


def _example():
    return [_register(*fit) for fit in FITS("example")]


def _cases():
    return [_register(*fit) for fit in FITS("random")]


def _judge():
    return returns(mdi_ref, close(), MISTAKES, expect_text="impurity-based importances normalised to sum to 1")


mdi_importance = Exercise(
    "mdi_importance",
    # the estimator's feature_importances_ is out of reach: learner code gets plain copies of the node arrays
    skill="explainability",
    hints=(
        ("Every split credits its feature with the impurity it removed, weighted by how many (weighted) samples "
        "reach the node; the importances are those credits per feature, normalised to sum to 1."),
        ("For each internal node (children_left != -1): add N[node]*imp[node] - N[left]*imp[left] - "
        "N[right]*imp[right] to feature[node], with N = weighted_n_node_samples; divide by the total. For a list: "
        "average the per-tree vectors of trees with more than one node, renormalise."),
        ("`for t in range(len(left)): if left[t] != -1: out[feat[t]] += N[t]*imp[t] - N[left[t]]*imp[left[t]] - "
        "N[right[t]]*imp[right[t]]`; `return out / out.sum() if out.sum() > 0 else out`"),
    ),
    checks=(
        Check("the example in the notebook", 2, _example, _judge()),
        Check("matches sklearn's feature_importances_ for trees (with sample weights) and forests", 8, _cases,
              _judge()),
    ),
)
