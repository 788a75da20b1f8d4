"""RandomForestClassifier: bagged sklearn trees with max_features, and the out-of-bag score.

The OOB score is compared with the mean of scikit-learn's over a few seeds
(within 0.03: the spread between seeds is about 0.01 on these data), held-out
accuracy likewise. Whether each tree saw a bootstrap sample is read off a
one-tree forest: on noisy labels it cannot predict every training row right.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from graders.engine.batteries import deterministic
from graders.engine.spec import Case, Exercise

from .common import RUNS, accuracy, attr, called, estimator_check, incorrect, labels, numeric, per_run, run
from .data import bundled, one_thread, rng_for

TOL = 0.03
SEEDS = (0, 1)


@lru_cache(maxsize=None)
def _sklearn(key):
    """Mean OOB score and mean held-out accuracy of scikit-learn's forest over a few seeds."""
    from sklearn.ensemble import RandomForestClassifier

    X, y, X_test, y_test, n_estimators = _PROBLEMS[key]
    oob, acc = [], []
    for seed in SEEDS:
        with one_thread():
            model = RandomForestClassifier(n_estimators=n_estimators, max_features="sqrt", oob_score=True,
                                           random_state=seed).fit(X, y)
        oob.append(model.oob_score_)
        acc.append(accuracy(model.predict(X_test), y_test) if len(y_test) else np.nan)
    return float(np.mean(oob)), float(np.mean(acc))


_PROBLEMS: dict = {}


def _judge_oob(case, record):
    X, y, X_test, y_test, _ = _PROBLEMS[case.extra]
    oob = float(numeric(case, attr(case, record, "oob_score_", "the out-of-bag accuracy"), (), "oob_score_"))
    best, _ = _sklearn(case.extra)
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
    _, best = _sklearn(case.extra)
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
    from sklearn.datasets import make_classification

    X, y = make_classification(1300, 10, n_informative=5, flip_y=0.1, class_sep=1.5, random_state=11)
    a = _problem(X, y, 500, "generated data (500×10, 10% flipped labels), 100 trees")
    X, y = bundled("breast_cancer")
    b = _problem(X, y, 450, "the breast-cancer data (450 training rows), 100 trees")
    X, y = make_classification(1200, 8, n_informative=4, n_classes=3, n_clusters_per_class=1, flip_y=0.05,
                               random_state=12)
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
        estimator_check("the example in the notebook", 1, _example_cases, _judge_oob),
        estimator_check("oob_score_ and held-out accuracy within 0.03 of scikit-learn's", 5, _problems,
                        _judge_forest, timeout=40.0),
        estimator_check("each tree is trained on a bootstrap sample", 2, _bootstrap_cases, _judge_bootstrap),
        deterministic(_seed_cases, points=2, title="same seed, same forest; another seed, another forest",
                      read=per_run(_predictions_and_oob), equal=_same_forest, **RUNS,
                      same="two forests with seed=5 differ: draw every bootstrap sample and tree seed from "
                           "np.random.default_rng(seed).",
                      other="forests with seed=5 and seed=6 are identical: your randomness does not depend on `seed`."),
    ),
)
