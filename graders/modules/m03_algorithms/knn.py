"""KNNClassifier: Euclidean k nearest neighbours, vote ties to the smallest label,
distance ties to the lower training index, and fast enough to predict 1000×1000.

The oracle computes exact distances and sorts stably. On real-valued data, test
points whose k-th and (k+1)-th distances are (nearly) equal are not compared:
which of them wins there depends on round-off, which the contract does not settle.
Tie rules are graded on integer-valued data, where every distance is exact.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from graders.engine.batteries import speed_budget
from graders.engine.domains import Arrays, Domain
from graders.engine.spec import Case, Exercise, Mistake, seed_for

from .common import called, estimator_check, estimator_generated, incorrect, labels, negative_labels_named, run
from .data import bundled, rng_for, shape_text
from .yardsticks import reference_knn_predict

SPEED_BUDGET = 25.0   # x the reference's time: a loop over test rows is ~5x, a Python loop over pairs ~150x
KNIFE_EDGE = 1e-9


def _sq_dists(X_train, X_test):
    X_train, X_test = np.asarray(X_train, dtype=float), np.asarray(X_test, dtype=float)
    return ((X_test[:, None, :] - X_train[None, :, :]) ** 2).sum(-1)


def knn_predict(X_train, y_train, X_test, k, vote="smallest", order="stable"):
    """The contract (vote="smallest", order="stable") and known variants of it."""
    d = _sq_dists(X_train, X_test)
    idx = np.argsort(d, axis=1, kind="stable")
    if order == "reverse":       # distance ties to the *higher* index
        n = d.shape[1]
        idx = np.array([sorted(range(n), key=lambda j, r=row: (r[j], -j)) for row in d])
    idx = idx[:, :k]
    if vote == "smallest":       # the contract, on every graded case: count the votes of all rows at once
        values, codes = np.unique(y_train, return_inverse=True)
        counts = np.zeros((len(idx), len(values)), dtype=int)
        np.add.at(counts, (np.arange(len(idx))[:, None], codes.reshape(-1)[idx]), 1)
        return values[counts.argmax(axis=1)]      # argmax keeps the first maximum: the smallest label
    out = []                     # the variants that name a wrong vote, on wrong answers only
    for row in idx:
        labels_ = y_train[row]
        values, counts = np.unique(labels_, return_counts=True)
        top = values[counts == counts.max()]
        if vote == "largest":
            out.append(top.max())
        else:                    # the tied label met first among the neighbours (Counter.most_common)
            out.append(next(label for label in labels_ if label in top))
    return np.array(out)


def boundary_ties(X_train, X_test, k, rel=0.0):
    """Test rows whose k-th and (k+1)-th nearest distances are equal (within rel)."""
    d = np.sort(_sq_dists(X_train, X_test), axis=1)
    if d.shape[1] <= k:
        return np.zeros(len(d), dtype=bool)
    return np.abs(d[:, k] - d[:, k - 1]) <= rel * np.maximum(d[:, k - 1], 1e-300)


MISTAKES = (
    ("vote-ties-largest", "when two labels get the same number of votes you picked the largest; the contract "
     "picks the smallest (np.argmax over counts in sorted label order does that)", {"vote": "largest"}),
    ("vote-ties-first-seen", "when two labels get the same number of votes you picked the one met first among "
     "the neighbours (what collections.Counter.most_common does); the contract picks the smallest label",
     {"vote": "first"}),
    ("k-plus-one", "you voted with k + 1 neighbours: take exactly the k nearest (indices [:k] after sorting)",
     {"k": 1}),
    ("distance-ties-higher-index", "among training points at the same distance you preferred the higher index; "
     "the contract keeps the lower one (a stable sort, np.argsort(..., kind='stable'))", {"order": "reverse"}),
)


def _judge_case(case, record):
    X_train, y_train, X_test, k = case.extra
    pred = labels(case, called(case, record, "pred"), len(X_test), np.unique(y_train))
    expected = knn_predict(X_train, y_train, X_test, k)
    wrong = pred != expected
    if "real" in case.tags:
        wrong &= ~boundary_ties(X_train, X_test, k, KNIFE_EDGE)
    if not wrong.any():
        return
    for mistake, message, change in MISTAKES:
        kk = k + change.get("k", 0)
        variant = knn_predict(X_train, y_train, X_test, kk, change.get("vote", "smallest"),
                              change.get("order", "stable"))
        if np.array_equal(pred, variant) and not np.array_equal(variant, expected):
            raise incorrect(case, message + ".", mistake)
    if np.all(boundary_ties(X_train, X_test, k)[wrong]):
        raise incorrect(case, "your predictions differ only where several training points tie for the k-th "
                              "place: keep the lower training index. np.argsort's default sort and "
                              "np.argpartition do not keep equal distances in index order; use "
                              "np.argsort(d, kind='stable').", "distance-ties-unstable")
    raise incorrect(case, f"{int(wrong.sum())} of {len(pred)} predictions differ from the k-nearest-neighbour "
                          "vote (Euclidean distance, majority label among the k nearest training points).")


def _case(X_train, y_train, X_test, k, label, tags=()):
    r = run(init_kwargs={"k": k}, fit=(X_train, y_train), calls=[("pred", "predict", (X_test,))])
    return Case((r,), {}, label, frozenset(tags), extra=(X_train, y_train, X_test, k))


def _real_cases():
    out = []
    X, y = bundled("iris")
    out.append(_case(X[:100], y[:100], X[100:], 5, "iris (100 training rows, 50 queries), k=5", ["real"]))
    X, y = bundled("wine")
    out.append(_case(X[:120], y[:120], X[120:], 3, "the wine data, unscaled (120 training rows), k=3", ["real"]))
    rng = rng_for("KNNClassifier", "blobs")
    centres = rng.normal(size=(3, 8)) * 3
    y = rng.integers(0, 3, size=400)
    X = centres[y] + rng.normal(size=(400, 8)) * 2.5
    labels_ = np.array([2, 5, 9])[y]
    out.append(_case(X[:300], labels_[:300], X[300:], 7, f"overlapping blobs ({shape_text(X[:300])}) with labels "
                     "2, 5 and 9, k=7", ["real"]))
    X = rng.normal(size=(150, 20))
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    out.append(_case(X[:100], y[:100], X[100:], 1, "100×20 training data, k=1", ["real"]))
    X = rng.normal(size=(120, 3)) * np.array([1.0, 100.0, 0.01])
    y = rng.integers(0, 4, size=120)
    out.append(_case(X[:80], y[:80], X[80:], 4, "features on very different scales with 4 classes, k=4 "
                                                "(an even k: vote ties happen)", ["real"]))
    return out


def _grid_data(rng, n, size, n_classes, d=2):
    return rng.integers(0, size, size=(n, d)).astype(float), rng.integers(0, n_classes, size=n)


def _vote_tie_cases():
    rng = rng_for("KNNClassifier", "votes")
    out = []
    for k, classes, n in [(4, 2, 60), (6, 3, 80), (2, 4, 50)]:
        X, y = _grid_data(rng, n, 40, classes)
        T = rng.integers(0, 40, size=(300, 2)).astype(float)
        T = T[~boundary_ties(X, T, k)][:120]       # no distance ties: only the vote rule matters here
        out.append(_case(X, y, T, k, f"integer-valued data ({n} training points, {classes} classes), k={k}: "
                                     "some queries get equal votes for two labels"))
    return out


def _distance_tie_cases():
    rng = rng_for("KNNClassifier", "distances")
    out = []
    for k, classes, n, size in [(3, 3, 40, 5), (5, 2, 60, 6), (1, 3, 30, 4)]:
        X, y = _grid_data(rng, n, size, classes)
        T = rng.integers(0, size, size=(150, 2)).astype(float) + rng.integers(0, 2, size=(150, 2)) * 0.5
        out.append(_case(X, y, T, k, f"integer-valued data with repeated points ({n} training points on a "
                                     f"{size}×{size} grid), k={k}: training points at equal distances"))
    return out


def _speed_check():
    rng = rng_for("KNNClassifier", "speed")
    X = rng.normal(size=(2000, 16))
    y = rng.integers(0, 3, size=1000)
    case = Case((X[1000:],), {}, "1000 training points and 1000 queries with 16 features, k=5")
    return speed_budget(f"predicts 1000 queries against 1000 points within {SPEED_BUDGET:.0f}x a vectorised "
                        "reference", 2, case, reference_knn_predict, SPEED_BUDGET, LOOPS,
                        ref_args=(X[:1000], y, X[1000:], 5), method="predict", init_kwargs={"k": 5},
                        fit_args=(X[:1000], y), timeout=15.0)


LOOPS = Mistake("loops", "far slower than a vectorised version: compute all query-to-training distances at once "
                "(broadcasting, or ||a||² + ||b||² - 2 a·b with a matrix product) instead of looping over pairs "
                "in Python")


def _example_cases():
    X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    return [_case(X, y, np.array([[0.5], [11.5], [5.0]]), 3, "the 1-D example with k=3")]


def _two_classes(args, kwargs) -> bool:
    return len(np.unique(args[1])) >= 2


def _drawn_run(case):
    X, y, X_test, k = case.args
    # integer-valued data (the pin's tie tests) is judged exactly; real-valued data without the knife edges
    real = X.dtype.kind == "f" or X_test.dtype.kind == "f"
    r = run(init_kwargs={"k": k}, fit=(X, y), calls=[("pred", "predict", (X_test,))])
    return dataclasses.replace(case, args=(r,), tags=case.tags | ({"real"} if real else set()),
                               extra=(X, y, X_test, k))


# the contract's inputs: training data (n, d) and queries (m, d), integer-valued (0..3: distance ties and vote
# ties everywhere, judged exactly, as the pin has it) or real-valued at scales 1e-3..1e3 (queries whose k-th
# and (k+1)-th distances tie to 1e-9 are not compared: round-off decides them), labels -1..2 (two classes at
# least), any k from 1 to n. No data far from 0: ||a||² + ||b||² - 2a·b, which the reference and the hints
# use, loses the distances there to cancellation, and the contract does not rule it out
KNN_DOMAIN = Domain(
    args=(Arrays(dims=("n", "d"), dtypes=("float64", "int64"), ints=(0, 3)),
          Arrays(dims=("n",), dtypes=("int64",), ints=(-1, 2)),
          Arrays(dims=("m", "d"), dtypes=("float64", "int64"), ints=(0, 3)),
          lambda sizes: range(1, sizes["n"] + 1)),
    names=("X", "y", "X_query", "k"), dim_sizes={"n": (2, 10), "d": (1, 3), "m": (1, 6)},
    scales=(1.0, 1e-3, 1e3), where=_two_classes, examples=24)


KNNClassifier = Exercise(
    "KNNClassifier",
    blocked=("sklearn.neighbors",),
    skill="classical-ml",
    hints=(
        "k-NN stores the training data; a query gets the majority label of its k nearest training points. "
        "All the work happens in predict.",
        "Compute the (n_queries, n_train) matrix of squared distances in one go, sort each row with "
        "np.argsort(kind='stable') (equal distances keep index order), keep the first k columns, and count "
        "votes per label; np.argmax over counts in sorted label order picks the smallest label on ties.",
        "`d = ((X[:, None, :] - self.X[None]) ** 2).sum(-1); nn = np.argsort(d, axis=1, kind='stable')[:, :k]; "
        "counts = (self.y[nn][..., None] == self.classes).sum(1); return self.classes[counts.argmax(1)]`",
    ),
    checks=(
        estimator_check("the example in the notebook", 1, _example_cases, _judge_case),
        estimator_check("matches the k-NN vote on real and generated data", 2, _real_cases, _judge_case,
                        timeout=20.0),
        estimator_check("vote ties go to the smallest label", 2, _vote_tie_cases, _judge_case),
        estimator_check("distance ties go to the lower training index", 2, _distance_tie_cases, _judge_case),
        _speed_check(),
        estimator_generated(KNN_DOMAIN, negative_labels_named(_judge_case, lambda case: case.extra[1]), 1, seed_for("03_algorithms", "KNNClassifier", "domain"),
                            _drawn_run),
    ),
)
