"""Datasets for the hidden checks: scikit-learn's bundled data and seeded generators.

Everything here runs in the grading process; the arrays reach the sandbox only
as probe arguments. Bundled data is loaded once per process.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from graders.engine.kept_values import kept_oracle
from graders.engine.spec import seed_for


def rng_for(exercise: str, part: str) -> np.random.Generator:
    return np.random.default_rng(seed_for("03_algorithms", exercise, part))


def sklearn_data(function: str, *args, **kwargs) -> tuple[np.ndarray, np.ndarray]:
    """(X, y) from ``sklearn.datasets.<function>``: a bundled toy dataset's loader (``load_iris``) or a seeded
    generator (``make_classification``)."""
    from sklearn import datasets

    made = getattr(datasets, function)(*args, **kwargs)
    return (made.data, made.target) if function.startswith("load_") else tuple(made)


# kept between grading runs (engine/kept_values.py), as any oracle's output: public data, which the cases are
# made of in the grading process, so that a grade imports no scikit-learn (the module's warm_up makes them)
DATA = kept_oracle(sklearn_data, "03_algorithms-data", ("scikit-learn",))


@lru_cache(maxsize=None)
def bundled(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(X, y) of a scikit-learn toy dataset, rows shuffled once with a fixed seed.

    Shuffling matters: iris and wine are sorted by class, so the first rows of a
    fold would hold a single class.
    """
    data, target = DATA(f"load_{name}")
    order = np.random.default_rng(seed_for("03_algorithms", "bundled", name)).permutation(len(target))
    X, y = np.asarray(data, dtype=float)[order], np.asarray(target)[order]
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def standardised(X: np.ndarray) -> np.ndarray:
    sd = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def split(X, y, n_train: int):
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def logistic_data(rng, n, d, shift=0.0, bias=0.0, scale=1.0, noise=1.0):
    """Overlapping classes (never separable, so the unregularised optimum is finite)."""
    X = rng.normal(size=(n, d)) + shift
    w = rng.normal(size=d) * scale
    y = ((X - shift) @ w + bias + noise * rng.logistic(size=n) > 0).astype(np.int64)
    return X, y


def shape_text(X) -> str:
    return f"{X.shape[0]}×{X.shape[1]}"


def one_thread():
    """Oracles run single-threaded: on a small shared machine OpenMP start-up and spinning cost
    seconds (sklearn's KMeans: 2 s with threads, 0.03 s without)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)
