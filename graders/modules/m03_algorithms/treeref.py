"""Reference CART pieces (grading process): Gini, every candidate split, and small trees.

They give the oracle for ``best_split``, the wrong variants the feedback names
(unweighted children, thresholds on data values, depth off by one) and the test
that a dataset's best splits are unique, so that any correct tree equals sklearn's.
"""
from __future__ import annotations

import numpy as np

MARGIN = 1e-9      # a best split is unique when it beats every other split by more than this


def gini_ref(y) -> float:
    _, counts = np.unique(np.asarray(y), return_counts=True)
    p = counts / counts.sum()
    return float(1.0 - np.sum(p ** 2))


def candidate_splits(X, y, weighted=True):
    """Every split (feature, threshold, decrease, left value, right value), thresholds at midpoints."""
    X = np.asarray(X, dtype=float)
    _, codes = np.unique(np.asarray(y), return_inverse=True)
    n, n_classes = len(codes), codes.max() + 1 if len(codes) else 0
    onehot = np.eye(n_classes)[codes]
    parent = 1.0 - np.sum((onehot.sum(0) / n) ** 2)
    out = []
    for f in range(X.shape[1]):
        order = np.argsort(X[:, f], kind="stable")
        xs, left = X[order, f], np.cumsum(onehot[order], axis=0)[:-1]
        pos = np.nonzero(xs[:-1] < xs[1:])[0]
        if not len(pos):
            continue
        n_left = (pos + 1).astype(float)
        lc, rc = left[pos], onehot.sum(0) - left[pos]
        g_left = 1.0 - np.sum((lc / n_left[:, None]) ** 2, axis=1)
        g_right = 1.0 - np.sum((rc / (n - n_left)[:, None]) ** 2, axis=1)
        child = (n_left * g_left + (n - n_left) * g_right) / n if weighted else (g_left + g_right) / 2
        for i, p in enumerate(pos):
            out.append((f, (xs[p] + xs[p + 1]) / 2, parent - child[i], xs[p], xs[p + 1]))
    return out


def best_of(splits):
    """Highest decrease; exact ties go to the lowest feature, then the lowest threshold."""
    if not splits:
        return None
    top = max(s[2] for s in splits)
    return min((s for s in splits if s[2] == top), key=lambda s: (s[0], s[1]))


def last_of(splits):
    """The tie rule reversed: the highest feature, then the highest threshold."""
    top = max(s[2] for s in splits)
    return max((s for s in splits if s[2] == top), key=lambda s: (s[0], s[1]))


def unique_best(splits) -> bool:
    if not splits:
        return True
    decs = sorted((s[2] for s in splits), reverse=True)
    return len(decs) == 1 or decs[0] - decs[1] > MARGIN


def grow(X, y, max_depth=None, min_samples_split=2, weighted=True, threshold="mid", check=False):
    """A CART tree as nested tuples; with check=True, None unless every split is unique and no leaf ties."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)

    def node(rows, depth):
        ys = y[rows]
        values, counts = np.unique(ys, return_counts=True)
        leaf = ("leaf", values[np.argmax(counts)])
        if check and (counts == counts.max()).sum() > 1:
            leaf = None          # a vote tie: fine inside the tree, not in a leaf
        splits = [] if len(values) == 1 or len(rows) < min_samples_split or \
            (max_depth is not None and depth >= max_depth) else candidate_splits(X[rows], ys, weighted)
        if not splits:
            if leaf is None:
                raise _NotUnique
            return leaf
        if check and not unique_best(splits):
            raise _NotUnique
        f, t, _, lo, hi = best_of(splits)
        t = {"mid": t, "low": lo, "high": hi}[threshold]
        go_left = X[rows, f] <= t if threshold != "high" else X[rows, f] < t
        return ("split", f, t, threshold == "high", node(rows[go_left], depth + 1), node(rows[~go_left], depth + 1))

    try:
        return node(np.arange(len(y)), 0)
    except _NotUnique:
        return None


class _NotUnique(Exception):
    pass


def predict_tree(tree, X):
    X = np.asarray(X, dtype=float)
    out = []
    for x in X:
        t = tree
        while t[0] == "split":
            _, f, thr, strict, left, right = t
            t = left if (x[f] < thr if strict else x[f] <= thr) else right
        out.append(t[1])
    return np.array(out)


def thresholds(tree):
    """(feature, threshold) of every split of a tree."""
    if tree[0] == "leaf":
        return []
    return [(tree[1], tree[2])] + thresholds(tree[4]) + thresholds(tree[5])
