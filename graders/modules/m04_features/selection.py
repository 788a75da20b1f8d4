"""select_k_best: k feature indices that recover at least 80% of the planted informative features."""
from __future__ import annotations

import numpy as np
import pandas as pd

from graders.engine.domains import Arrays, Domain
from graders.engine.judges import error_failure
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, seed_for

from .frames import incorrect, what
from .helpers import frames_each

RECALL = 0.8


def make_selection_data(rng, n, d, k, n_classes=2, scales=True):
    """Class labels and X whose `k` informative columns shift with the class, in random directions and units."""
    y = rng.integers(0, n_classes, size=n)
    X = rng.normal(size=(n, d))
    informative = np.sort(rng.choice(d, size=k, replace=False))
    for j in informative:
        means = rng.normal(0, 1, size=n_classes)
        size = rng.uniform(1.0, 1.4) * (1.0 if n_classes == 2 else 1.5)       # three classes share the signal
        means = (means - means.mean()) / (np.ptp(means) + 1e-12) * size * rng.choice([-1, 1])
        X[:, j] += means[y]
    if scales:
        X *= 10.0 ** rng.uniform(-3, 3, size=d)          # units from micrometres to kilometres
    return X, y, informative


def _indices(case, obs):
    if "error" in obs:
        return None, error_failure(case, obs["error"])
    desc = obs["value"]
    value = desc.get("value") if desc.get("kind") == "other" else None
    if desc.get("kind") == "series" and desc["data"].get("kind") == "number":
        value = np.asarray(desc["data"]["values"])
    if isinstance(value, pd.Index):
        value = value.to_numpy()
    X, y, k = case.args
    d = X.shape[1]
    try:
        arr = np.asarray(list(value) if isinstance(value, (tuple, list, frozenset)) else value)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 1 or arr.dtype.kind not in "biuf":
        return None, incorrect(case, f"expected a 1-D array or list of k={k} feature indices, got {what(desc)}.")
    if arr.dtype.kind == "b" or (len(arr) == d and d != k and set(np.unique(arr).tolist()) <= {0, 1}):
        return None, incorrect(case, "you returned a mask over all features; return the k selected column "
                                     "indices (np.flatnonzero(mask), or np.argsort(scores)[-k:]).", "mask-not-indices")
    if arr.dtype.kind == "f" and not np.all(arr == np.round(arr)):
        return None, incorrect(case, "your indices are not whole numbers.")
    arr = arr.astype(np.int64)
    if len(arr) != k:
        return None, incorrect(case, f"you returned {len(arr)} indices; return exactly k={k}.", "not-k")
    if len(set(arr.tolist())) != k:
        return None, incorrect(case, "your indices repeat a feature; return k distinct feature indices.", "not-k")
    if arr.min() < 0 or arr.max() >= d:
        return None, incorrect(case, f"your indices must lie in 0..{d - 1} (X has {d} columns).")
    return arr, None


def _judge_format(cases, observations):
    for case, obs in zip(cases, observations):
        _, failure = _indices(case, obs)
        if failure:
            return failure
    return None


def _judge_recall(cases, observations):
    for case, obs in zip(cases, observations):
        chosen, failure = _indices(case, obs)
        if failure:
            return failure
        planted = case.extra
        hits = len(set(chosen.tolist()) & set(planted.tolist()))
        recall = hits / len(planted)
        if recall >= RECALL:
            continue
        X = case.args[0]
        spread = X.std(axis=0)
        by_spread = set(np.argsort(spread)[-len(chosen):].tolist())
        if spread.max() > 100 * spread.min() and set(chosen.tolist()) == by_spread:
            return incorrect(case, f"you found {hits} of {len(planted)} informative features: your choice follows the "
                                   "columns' spread, which here only reflects their units. Score each feature's "
                                   "relation to y (e.g. an F-test or mutual information), not its variance.",
                             "by-variance")
        if hits == 0:
            return incorrect(case, f"you found none of the {len(planted)} informative features: did you take the k "
                                   "*lowest* scores (np.argsort is ascending: take its last k)?", "lowest-scores")
        return incorrect(case, f"you found {hits} of {len(planted)} informative features (recall {recall:.2f}, at "
                               f"least {RECALL} required). Informative features here shift with the class in "
                               "either direction and come in wildly different units: use a score that is "
                               "scale-free and sign-free (F statistic, mutual information, |correlation|).",
                         "low-recall")
    return None


def _cases(check, specs):
    def make():
        rng = np.random.default_rng(seed_for("04_features", "select_k_best", check))
        out = []
        for n, d, k, n_classes, label in specs:
            X, y, planted = make_selection_data(rng, n, d, k, n_classes)
            out.append(Case((X, y, k), {}, label, extra=planted))
        return out
    return make


def example_data():
    """The notebook's example (the notebook builds the same arrays)."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=200)
    X = rng.normal(size=(200, 6))
    X[:, 1] += 2.0 * y
    X[:, 4] -= 1.5 * y
    return X, y


# ------------------------------------------------------------------ generated cases (engine/domains.py)
SHIFT = 4.0      # planted columns move by +-4 units with the class, over Gaussian noise of half a unit


def _data(args):
    """Drawn (X in [-1, 1], y, k, first, unit) -> (X, y, k, planted): the k columns from `first` on (wrapping)
    shift with y in alternating directions, and every column gets Gaussian noise (fixed by the shape)."""
    X, y, k, first, unit = args
    n, d = X.shape
    planted = np.array(sorted((first + j) % d for j in range(k)))
    X = X + 0.5 * np.random.default_rng(1000 * n + d).normal(size=(n, d))
    for j, col in enumerate(planted):
        X[:, col] += (-1) ** j * SHIFT * (2 * y - 1)
    return X * unit, y, k, planted


def _planted(case):
    X, y, k, planted = _data(case.args)
    label = (f"a generated input: X = a {X.shape} float64 array (units of {case.args[4]:g}) whose columns "
             f"{planted.tolist()} shift with y and whose other {X.shape[1] - k} are noise, y = {len(y)} labels in "
             f"{{0, 1}}, k={k}")
    return Case((X, y, k), {}, label, extra=planted)


def _separates(x, y):
    return x[y == 0].max() < x[y == 1].min() or x[y == 1].max() < x[y == 0].min()


def _well_posed(args, kwargs):
    """Two rows of each class at least, and no noise column that separates the classes on its own (it would be
    as informative as a planted one)."""
    y = args[1]
    if min(np.sum(y == 0), np.sum(y == 1)) < 2:
        return False
    X, y, k, planted = _data(args)
    return not any(_separates(X[:, j], y) for j in range(X.shape[1]) if j not in planted)


# the contract's inputs: 8..24 rows, 2..8 features of which k (1..3) shift with a binary y (both directions), the
# rest noise, in units from 1e-3 to 1e3, classes of any balance (two rows each at least). No constant columns
# although the reference guards against their NaN F statistic: sklearn's mutual_info_classif (the correct
# mutual-information alternative) scores a constant column above an informative one at units >= 1. No raw
# hypothesis noise either (tie-heavy columns fool the same estimator): Gaussian noise on every column
DOMAIN = Domain(args=(Arrays(dims=("n", "d")), Arrays(dims=("n",), dtypes=("int64",), ints=(0, 1)),
                      lambda sizes: range(1, min(3, sizes["d"] - 1) + 1), lambda sizes: range(sizes["d"]),
                      (1e-3, 1e3)),
                names=("X", "y", "k", "first informative column", "unit"), dim_sizes={"n": (8, 24), "d": (2, 8)},
                where=_well_posed, examples=5)


def _judge_drawn(cases, observations):
    return _judge_recall([_planted(c) for c in cases], observations)


def _args_drawn(target, cases):
    return (target, [(_planted(c).args, {}) for c in cases])


blocked = ("sklearn.feature_selection.SelectKBest", "sklearn.feature_selection.SelectPercentile",
           "sklearn.feature_selection.GenericUnivariateSelect")

select_k_best = Exercise(
    "select_k_best",
    blocked=blocked,
    skill="feature-engineering",
    hints=(
        "Score every feature by how much it tells about y, then keep the k best scores. A good score ignores "
        "units (a feature in millimetres is no better than the same one in kilometres) and direction.",
        "sklearn.feature_selection.f_classif(X, y) or mutual_info_classif(X, y) give one score per column "
        "(allowed here; SelectKBest itself is not). Then np.argsort(scores)[-k:].",
        "`scores, _ = f_classif(X, y); return np.argsort(scores)[::-1][:k]`",
    ),
    checks=(
        Check("the example in the notebook", 2, [Case((*example_data(), 2), {}, "the notebook's example (features 1 "
                                                                                "and 4 depend on y)",
                                                      extra=np.array([1, 4]))], _judge_recall, probe=frames_each),
        Check("returns k distinct feature indices", 2,
              _cases("format", [(300, 12, 3, 2, "X of shape (300, 12), k=3")]), _judge_format, probe=frames_each,
              gated=True),
        Check(f"recall >= {RECALL} of the informative features (binary y, mixed units, both directions)", 3,
              _cases("binary", [(600, 40, 6, 2, "X of shape (600, 40) in wildly different units, 6 informative "
                                                "features, k=6"),
                                (400, 25, 5, 2, "X of shape (400, 25), 5 informative features, k=5")]),
              _judge_recall, probe=frames_each, timeout=30.0),
        Check(f"recall >= {RECALL} with three classes", 2,
              _cases("multiclass", [(600, 30, 5, 3, "X of shape (600, 30), y in {0, 1, 2}, 5 informative features, "
                                                    "k=5")]), _judge_recall, probe=frames_each, timeout=30.0),
        generated(DOMAIN, _judge_drawn, 1, seed_for("04_features", "select_k_best", "domain"), probe=frames_each,
                  probe_args=_args_drawn, timeout=30.0),
    ),
)
