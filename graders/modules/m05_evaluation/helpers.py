"""Sandbox-side helpers of 05_evaluation: objects handed to learner code, and probes.

Only this file and ``models.py`` (the recording models, scikit-learn estimators) are needed inside the
sandbox (pickled references point here); the oracles and judges in the sibling files stay in the grading
process. This file imports no scikit-learn, so that the grading process, which makes the cases, need not.

The model factory, its models and the scorers *record* what learner code does with
them: every ``fit`` and every scorer call appends a plain event (which model
instance, which rows of X it saw, whether those rows had been transformed) to
``LOG``. Probes return that record as an observation; the judges in ``crossval.py``
read it to tell a reused model or preprocessing fitted on all the data from a
correct cross-validation loop. Nothing here knows an expected value.
"""
from __future__ import annotations

import copy

import numpy as np

from graders.engine.sandbox.probes import shares_child

LOG: list = []               # events of the case being probed (reset per case)
_COUNTER = [0]               # model ids: 1, 2, ... in creation order


def reset_log() -> None:
    LOG.clear()
    _COUNTER[0] = 0


# ------------------------------------------------------------------ which rows of X?
class RowBook:
    """Maps a learner's array back to row indices of the full X (plain ints).

    Rows may come back as float32 or in any order; rows transformed with statistics
    of *all* of X (the leak a learner makes by scaling before splitting) are
    recognised and named, any other change is reported as "unknown".
    """

    def __init__(self, X):
        self.X = np.asarray(X, dtype=float)
        self._index = {row.tobytes(): i for i, row in enumerate(self.X)}
        mu, lo, hi = self.X.mean(0), self.X.min(0), self.X.max(0)
        self.transforms = {
            "standardised": (self.X - mu) / self.X.std(0),
            "standardised (ddof=1)": (self.X - mu) / self.X.std(0, ddof=1),
            "min-max scaled": (self.X - lo) / (hi - lo),
            "centred": self.X - mu,
        }

    def identify(self, X):
        """(list of row indices or None, how the rows were changed or None)."""
        try:
            arr = np.array(X, dtype=float)
        except (TypeError, ValueError):
            return None, "unreadable"
        if arr.ndim != 2 or arr.shape[1] != self.X.shape[1]:
            return None, f"shape {arr.shape}"
        rows = _match(arr, self.X, self._index)
        if rows is not None:
            return rows, None
        for name, Z in self.transforms.items():
            rows = _match(arr, Z, None)
            if rows is not None:
                return rows, name
        return None, "unknown"


def _match(arr, Z, index):
    rows = []
    for row in arr:
        i = index.get(row.tobytes()) if index is not None else None
        if i is None:
            err = np.abs(Z - row).max(axis=1)
            i = int(np.argmin(err))
            if err[i] > 1e-5 * (1.0 + np.abs(row).max()):
                return None
        rows.append(int(i))
    return rows


def _labels_ok(y_full, rows, y):
    if rows is None:
        return None
    try:
        got = np.asarray(y).ravel()
    except (TypeError, ValueError):
        return False
    return bool(got.shape == (len(rows),) and np.array_equal(got, y_full[rows]))


# ------------------------------------------------------------------ the model factory (its models: models.py)
class ModelFactory:
    """``make_model`` for cross_val_score: each call returns a fresh recording model."""

    def __init__(self, X, y, task="classify"):
        self.book = RowBook(X)
        self.y = np.array(y)            # its own contiguous copy, never a view of X
        self.task = task

    def record(self, kind, model_id, X, y):
        """Log a fit or a score: which rows of X the model saw, how they were changed, whether y matched."""
        rows, how = self.book.identify(X)
        LOG.append((kind, model_id, rows, how, _labels_ok(self.y, rows, y)))

    def __call__(self):
        from .models import RecordingClassifier, RecordingRegressor  # preloaded in the sandbox: see models.py

        _COUNTER[0] += 1
        cls = RecordingClassifier if self.task == "classify" else RecordingRegressor
        return cls(self, _COUNTER[0])

    def __repr__(self):
        return "make_model"




def _log_score(model, X_test, y_test):
    from .models import RecordingModel

    if not isinstance(model, RecordingModel):
        raise TypeError(f"scorer(model, X_test, y_test) expects a model made by make_model() as its first "
                        f"argument, got {type(model).__name__}")
    if np.ndim(X_test) != 2:
        raise TypeError("scorer(model, X_test, y_test): X_test must be the 2-D test rows of X "
                        f"(got {np.ndim(X_test)} dimensions); check the order of the arguments")
    if model.factory is None:
        raise TypeError("scorer(model, X_test, y_test) expects a model made by make_model()")
    model.factory.record("score", model.model_id, X_test, y_test)


def accuracy_scorer(model, X_test, y_test):
    """Fraction of test rows the model classifies correctly."""
    _log_score(model, X_test, y_test)
    return float(np.mean(model.predict(X_test) == np.asarray(y_test)))


def neg_mse_scorer(model, X_test, y_test):
    """Minus the mean squared error on the test rows (higher is better)."""
    _log_score(model, X_test, y_test)
    return float(-np.mean((model.predict(X_test) - np.asarray(y_test, dtype=float)) ** 2))


class ShuffledSplitter:
    """A cross-validation splitter object: ``split(X, y)`` yields seeded, shuffled (train, test) pairs."""

    def __init__(self, n_splits, seed):
        self.n_splits, self.seed = n_splits, seed

    def split(self, X, y=None, groups=None):
        if y is None:
            raise TypeError("this splitter needs the labels too: call cv.split(X, y)")
        n = len(X)
        perm = np.random.default_rng(self.seed).permutation(n)
        for test in np.array_split(perm, self.n_splits):
            yield np.setdiff1d(np.arange(n), test), np.sort(test)

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.n_splits

    def __repr__(self):
        return f"ShuffledSplitter(n_splits={self.n_splits})"


# ------------------------------------------------------------------ metrics for the bootstrap
def accuracy(y_true, y_pred):
    """Fraction of equal entries."""
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def mean_absolute_error(y_true, y_pred):
    """Mean of |y_true - y_pred|."""
    return float(np.mean(np.abs(np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float))))


def mean_absolute_percentage_error(y_true, y_pred):
    """Mean of |y_true - y_pred| / |y_true|: asymmetric, so the order of the arguments matters."""
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    return float(np.mean(np.abs(y_true - y_pred) / np.abs(y_true)))


# ------------------------------------------------------------------ probes
@shares_child      # the record is reset before each case: nothing of a request is left for the next
def cv_probe(ctx, target, cases, keep_args=False):
    """Call cross_val_score on each case and report the value and the fit/score record."""
    fn = ctx.lookup(target)
    out = []
    for i, (args, kwargs) in enumerate(cases):
        ctx.progress(i)
        reset_log()
        obs = ctx.observe(fn, copy.deepcopy(args), copy.deepcopy(kwargs))
        obs["log"] = ctx.plain(list(LOG))
        out.append(obs)
    return out


def _materialise(value):
    """A generator of splits becomes a list, so that "returns a list" is read permissively."""
    if value is None or isinstance(value, (list, tuple, np.ndarray, str, bytes, dict)):
        return value
    if hasattr(value, "__iter__"):
        return [tuple(pair) if isinstance(pair, (list, tuple)) else pair for pair in value]
    return value


@shares_child
def splits_probe(ctx, target, cases, keep_args=False):
    """Call a splitter on copies of each case's inputs; its splits as a list (a generator read out)."""
    fn = ctx.lookup(target)

    def call(*args, **kwargs):
        return _materialise(fn(*args, **kwargs))

    out = []
    for i, (args, kwargs) in enumerate(cases):
        ctx.progress(i)
        out.append(ctx.observe(call, copy.deepcopy(args), copy.deepcopy(kwargs)))
    return out
