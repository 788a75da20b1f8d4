"""Sandbox-side: the warm-started nearest-centroid classifier ``make_running_centroid`` hands to learner code.

A file of its own so that importing ``helpers.py`` (the grading process does, for the learning curve's probe)
imports none of scikit-learn's estimator machinery (0.8 s of a cold grade); the sandbox parent preloads it.
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


class RunningCentroid(ClassifierMixin, BaseEstimator):
    """A nearest-centroid classifier whose ``fit`` adds to what earlier fits saw (a warm start).

    Refitting one instance on another fold therefore gives another model: the
    learning curve exposes an instance reused across fits. A real scikit-learn
    classifier otherwise (``clone``, ``get_params``, ``is_classifier``, ``score``): the
    state it keeps between fits is created by ``fit``, never by ``__init__``, so a
    clone starts from nothing.
    """

    def fit(self, X, y):
        first = not hasattr(self, "n_fits_")
        X, y = validate_data(self, X, y, reset=first)
        check_classification_targets(y)
        if first:
            self.n_fits_, self.sums_, self.counts_ = 0, {}, {}
        X = np.asarray(X, dtype=float)
        for label in np.unique(y):
            rows = X[y == label]
            self.sums_[label] = self.sums_.get(label, 0.0) + rows.sum(0)
            self.counts_[label] = self.counts_.get(label, 0) + len(rows)
        self.n_fits_ += 1
        self.classes_ = np.array(sorted(self.sums_))
        return self

    def predict(self, X):
        check_is_fitted(self, "classes_")
        X = np.asarray(validate_data(self, X, reset=False), dtype=float)
        centres = np.stack([self.sums_[c] / self.counts_[c] for c in self.classes_])
        d = ((X[:, None, :] - centres[None]) ** 2).sum(2)
        return self.classes_[d.argmin(1)]
