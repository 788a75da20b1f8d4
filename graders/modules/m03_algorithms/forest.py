"""RandomForestClassifier: bagged sklearn trees with max_features, and the out-of-bag score.

The OOB score is compared with the mean of scikit-learn's over a few seeds
(within 0.03: the spread between seeds is about 0.01 on these data), held-out
accuracy likewise. Whether each tree saw a bootstrap sample is read off a
one-tree forest: on noisy labels it cannot predict every training row right.
"""
from __future__ import annotations

import dataclasses
from functools import lru_cache

import numpy as np

from graders.engine.batteries import deterministic
from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.kept_values import kept_oracle
from graders.engine.results import Status
from graders.engine.spec import Case, Exercise, seed_for

from .common import (RUNS, Reject, accuracy, attr, called, estimator_check, estimator_generated, incorrect, labels,
                     negative_labels_named, numeric, per_run, run)
from .data import DATA, bundled, one_thread, rng_for

TOL = 0.03
SEEDS = (0, 1)


def sklearn_scores(X, y, X_test, y_test, n_estimators):
    """Mean OOB score and mean held-out accuracy of scikit-learn's forest over a few seeds."""
    from sklearn.ensemble import RandomForestClassifier

    oob, acc = [], []
    for seed in SEEDS:
        with one_thread():
            model = RandomForestClassifier(n_estimators=n_estimators, max_features="sqrt", oob_score=True,
                                           random_state=seed).fit(X, y)
        oob.append(model.oob_score_)
        acc.append(accuracy(model.predict(X_test), y_test) if len(y_test) else np.nan)
    return float(np.mean(oob)), float(np.mean(acc))


# kept between grading runs (engine/kept_values.py): its 100-tree forests were a cold grade's longest work
SCORES = kept_oracle(sklearn_scores, "03_algorithms-forest", ("scikit-learn",))

_PROBLEMS: dict = {}    # a case's key -> (X, y, X_test, y_test, n_estimators): what the judge alone sees


def _judge_oob(case, record):
    X, y, X_test, y_test, _ = _PROBLEMS[case.extra]
    oob = float(numeric(case, attr(case, record, "oob_score_", "the out-of-bag accuracy"), (), "oob_score_"))
    best, _ = SCORES(*_PROBLEMS[case.extra])
    if abs(oob - best) <= TOL:
        return
    train_acc = accuracy(labels(case, called(case, record, "train"), len(y), np.unique(y)), y)
    if oob > best + TOL and abs(oob - train_acc) < 0.01:
        raise incorrect(case, f"your oob_score_ ({oob:.3f}) is the training accuracy: a row's out-of-bag vote may "
                              "only come from trees whose bootstrap sample did not contain it (rows never drawn "
                              "for that tree), and every tree must be trained on a bootstrap sample.", "oob-in-bag")
    side = "below" if oob < best else "above"
    raise incorrect(case, f"your oob_score_ is more than {TOL} {side} scikit-learn's (averaged over seeds): for each row, combine the votes of the trees that did not see it, and "
                          "score the rows that got at least one such vote.")


def _judge_forest(case, record):
    _judge_oob(case, record)
    X, y, X_test, y_test, _ = _PROBLEMS[case.extra]
    got = accuracy(labels(case, called(case, record, "pred"), len(y_test), np.unique(y)), y_test)
    _, best = SCORES(*_PROBLEMS[case.extra])
    if got < best - TOL:
        raise incorrect(case, f"your held-out accuracy is more than {TOL} below scikit-learn's forests': vote over all trees, each grown on a bootstrap sample with "
                              "max_features='sqrt'.")


def _judge_bootstrap(case, record):
    X, y = case.extra
    pred = labels(case, called(case, record, "train"), len(y), np.unique(y), "predict on the training rows")
    if accuracy(pred, y) == 1.0:
        raise incorrect(case, "a forest of one tree predicts every training row right, even with 20% of the labels "
                              "flipped: the tree saw all rows. Train each tree on a bootstrap sample, n rows drawn "
                              "with replacement (rng.integers(0, n, n)).", "no-bootstrap")


def _predictions_and_oob(case, record):
    return called(case, record, "pred"), attr(case, record, "oob_score_")


def _same_forest(a, b) -> bool:
    return bool(np.array_equal(np.asarray(a[0]), np.asarray(b[0])) and np.isclose(float(a[1]), float(b[1])))


def _problem(X, y, n_train, label, n_estimators=100):
    key = f"{len(_PROBLEMS)}"
    _PROBLEMS[key] = (X[:n_train], y[:n_train], X[n_train:], y[n_train:], n_estimators)
    r = run(init_kwargs={"n_estimators": n_estimators}, fit=(X[:n_train], y[:n_train]),
            calls=[("train", "predict", (X[:n_train],)), ("pred", "predict", (X[n_train:],))], attrs=("oob_score_",))
    return Case((r,), {}, label, extra=key)


@lru_cache(maxsize=None)
def _problems():
    X, y = DATA("make_classification", 1300, 10, n_informative=5, flip_y=0.1, class_sep=1.5, random_state=11)
    a = _problem(X, y, 500, "generated data (500×10, 10% flipped labels), 100 trees")
    X, y = bundled("breast_cancer")
    b = _problem(X, y, 450, "the breast-cancer data (450 training rows), 100 trees")
    X, y = DATA("make_classification", 1200, 8, n_informative=4, n_classes=3, n_clusters_per_class=1,
                flip_y=0.05, random_state=12)
    c = _problem(X, np.array([1, 4, 6])[y], 500, "3 classes labelled 1, 4 and 6 (500×8), 60 trees", 60)
    return [a, b, c]


def _bootstrap_cases():
    rng = rng_for("RandomForestClassifier", "bootstrap")
    X = rng.normal(size=(200, 5))
    y = (X[:, 0] > 0).astype(int)
    y[rng.uniform(size=200) < 0.2] ^= 1
    return [Case((run(init_kwargs={"n_estimators": 1, "seed": s}, fit=(X, y), calls=[("train", "predict", (X,))]),),
                 {}, f"one tree (n_estimators=1, seed={s}) on 200 rows with 20% flipped labels", extra=(X, y))
            for s in (0, 1)]


def _seed_cases():
    rng = rng_for("RandomForestClassifier", "seed")
    X = rng.normal(size=(300, 6))
    y = (X[:, 0] + X[:, 1] + rng.normal(size=300) > 0).astype(int)
    Q = rng.normal(size=(400, 6))
    return [Case((run(init_kwargs={"n_estimators": 5, "seed": s}, fit=(X, y), calls=[("pred", "predict", (Q,))],
                      attrs=("oob_score_",)),), {}, f"5 trees, seed={s}") for s in (5, 5, 6)]


def _example_cases():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(size=(60, 2)), rng.normal(size=(60, 2)) + 3.0]
    y = np.repeat([0, 1], 60)
    key = f"{len(_PROBLEMS)}"
    _PROBLEMS[key] = (X, y, X[:0], y[:0], 50)
    r = run(init_kwargs={"n_estimators": 50}, fit=(X, y), calls=[("train", "predict", (X,))], attrs=("oob_score_",))
    return [Case((r,), {}, "two well-separated blobs of 60 points, 50 trees", extra=key)]


def _drawn_run(case):
    X, y, X_query = case.args
    r = run(init_kwargs=case.kwargs, fit=(X, y), calls=[("train", "predict", (X,)), ("pred", "predict", (X_query,))],
            attrs=("oob_score_",))
    return dataclasses.replace(case, args=(r,), extra=(X, y, X_query))


def _judge_exact(case, record):
    """What every correct forest does on any data, whatever its randomness: predictions are labels of the
    training data (so one class gives that class everywhere), and oob_score_ is the accuracy on the scored
    rows, a fraction with at most n in the denominator (1 when there is one class)."""
    X, y, X_query = case.extra
    classes = np.unique(y)
    labels(case, called(case, record, "train"), len(y), classes, "predict on the training rows")
    labels(case, called(case, record, "pred"), len(X_query), classes, "predict(X_query)")
    oob = float(numeric(case, attr(case, record, "oob_score_", "the out-of-bag accuracy"), (), "oob_score_"))
    if not 0.0 <= oob <= 1.0 or not any(abs(oob * k - round(oob * k)) < 1e-9 for k in range(1, len(y) + 1)):
        raise incorrect(case, f"oob_score_ is {oob!r}, not an accuracy over at most {len(y)} training rows: it is the "
                              "fraction of the scored rows (those with at least one out-of-bag vote) whose combined "
                              "out-of-bag vote is their label.")
    if len(classes) == 1 and oob != 1.0:
        raise incorrect(case, f"with a single class every vote is that class, yet oob_score_ is {oob!r}.")


def _judge_edges(case, record):
    try:
        _judge_exact(case, record)
    except Reject as rejected:
        if rejected.failure.status is Status.ERROR and "broadcast" in rejected.failure.message and \
                len(np.unique(case.extra[1])) > 1:
            raise incorrect(case, "a tree grown on a bootstrap sample may not have seen every class: its "
                                  "predict_proba has one column per class in tree.classes_, not one per class of the "
                                  "forest. Put its columns where they belong (np.searchsorted(self.classes_, "
                                  "tree.classes_)) before adding them up, or count the votes of tree.predict.",
                            "tree-missing-class") from None
        raise


# the contract's inputs, judged by what every correct forest does whatever its randomness (the statistics are
# the hand-picked checks'): X (n, d) and queries (m, d), real at scales 1e-3..1e3 or small integers (repeated
# rows), labels -1..2 (negative and non-contiguous ones, one class, a class of one row that a bootstrap sample
# misses about a third of the time), a few trees (1, 2: tied votes, 5), seeds. 14 rows at least: on fewer, a
# bootstrap sample that holds every row (probability n!/n^n, 8e-6 at 14) leaves a tree no out-of-bag row, and
# the hinted tree.predict(X[oob]) raises on the empty array, which the contract does not speak of
FOREST_DOMAIN = Domain(
    args=(Arrays(dims=("n", "d"), dtypes=("float64", "int64"), ints=(0, 3)),
          Arrays(dims=("n",), dtypes=("int64",), ints=(-1, 2)),
          Arrays(dims=("m", "d"), dtypes=("float64", "int64"), ints=(0, 3))),
    kwargs={"n_estimators": (1, 2, 5), "seed": (OMIT, 3)},
    names=("X", "y", "X_query"), dim_sizes={"n": (14, 20), "d": (1, 3), "m": (1, 6)}, scales=(1e-3, 1e3),
    examples=16)


_EXAMPLE = estimator_check("the example in the notebook", 1, _example_cases, _judge_oob)
_STATISTICS = estimator_check("oob_score_ and held-out accuracy within 0.03 of scikit-learn's", 4, _problems,
                              _judge_forest, timeout=40.0)
# the judges that call the kept oracle, and what they call it with (the module's warm_up keeps its outputs)
KEPT = {check.judge: (SCORES, lambda case: _PROBLEMS[case.extra]) for check in (_EXAMPLE, _STATISTICS)}

RandomForestClassifier = Exercise(
    "RandomForestClassifier",
    blocked=("sklearn.ensemble",),
    skill="classical-ml",
    hints=(
        "A random forest averages many deep trees, each grown on a bootstrap sample (n rows drawn with "
        "replacement) and choosing among a random subset of features at every split. The rows a tree never saw "
        "are its out-of-bag rows: a free validation set.",
        "rng = np.random.default_rng(seed); for each tree: idx = rng.integers(0, n, n), fit "
        "DecisionTreeClassifier(max_features=..., random_state=int(rng.integers(2**31 - 1))) on X[idx], and add "
        "its votes (or probabilities) for the rows not in idx to an (n, n_classes) table.",
        "`oob = np.setdiff1d(np.arange(n), idx); votes[oob, classes.searchsorted(tree.predict(X[oob]))] += 1`; "
        "`seen = votes.sum(1) > 0; self.oob_score_ = np.mean(classes[votes[seen].argmax(1)] == y[seen])`",
    ),
    checks=(
        _EXAMPLE,
        _STATISTICS,
        estimator_check("each tree is trained on a bootstrap sample", 2, _bootstrap_cases, _judge_bootstrap),
        deterministic(_seed_cases, points=2, title="same seed, same forest; another seed, another forest",
                      read=per_run(_predictions_and_oob), equal=_same_forest, **RUNS,
                      same="two forests with seed=5 differ: draw every bootstrap sample and tree seed from "
                           "np.random.default_rng(seed).",
                      other="forests with seed=5 and seed=6 are identical: your randomness does not depend on `seed`."),
        estimator_generated(FOREST_DOMAIN, negative_labels_named(_judge_edges, lambda case: case.extra[1]), 1,
                            seed_for("03_algorithms", "RandomForestClassifier", "domain"), _drawn_run),
    ),
)
