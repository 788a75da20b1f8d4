"""Sandbox-side: the recording models ``make_model()`` returns (helpers.ModelFactory), real scikit-learn
estimators, in a file of their own so that the grading process, which makes the factories of the
cross_val_score cases, imports no scikit-learn: the sandbox parent preloads this file (the spec's
``preload``), and the grading process imports it only when a reference loop is computed afresh
(``crossval.reference_scores``, kept between grading runs). What they record goes through their factory
(helpers.py), which imports this file, never the other way round.
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier
from sklearn.exceptions import NotFittedError
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import validate_data


class _RecordingModel(BaseEstimator):
    """A small deterministic model (nearest centroid, or least squares) that logs its fits.

    A real scikit-learn estimator, so a learner may use it as one: ``clone`` gives a fresh model
    from the same factory (a new id, as ``make_model()`` would), ``get_params``/``set_params``,
    ``is_classifier``/``is_regressor``, ``score`` and ``check_is_fitted`` all work.
    """

    def __init__(self, factory=None, model_id=0):
        self.factory = factory
        self.model_id = model_id

    def __sklearn_clone__(self):
        return self.factory() if self.factory is not None else type(self)()

    def fit(self, X, y):
        if self.factory is not None:
            self.factory.record("fit", self.model_id, X, y)
        X, y = validate_data(self, X, y, y_numeric=not is_classifier(self))
        if is_classifier(self):
            check_classification_targets(y)
        self._fit(np.asarray(X, dtype=float), np.asarray(y))
        return self

    def _checked(self, X):
        if not hasattr(self, "params_"):
            raise NotFittedError("predict() was called on a model that was never fitted: fit it on the training "
                                 "rows of the fold first")
        return np.asarray(validate_data(self, X, reset=False), dtype=float)

    def __repr__(self, N_CHAR_MAX=700):
        return f"<model #{self.model_id} from make_model>"


class RecordingClassifier(ClassifierMixin, _RecordingModel):
    def _fit(self, X, y):
        self.classes_ = np.unique(y)
        self.params_ = np.stack([X[y == c].mean(axis=0) for c in self.classes_])

    def predict(self, X):
        X = self._checked(X)
        d = ((X[:, None, :] - self.params_[None, :, :]) ** 2).sum(axis=2)
        return self.classes_[np.argmin(d, axis=1)]


class RecordingRegressor(RegressorMixin, _RecordingModel):
    def _fit(self, X, y):
        A = np.column_stack([np.ones(len(X)), X])
        self.params_ = np.linalg.lstsq(A, y.astype(float), rcond=None)[0]

    def predict(self, X):
        X = self._checked(X)
        return self.params_[0] + X @ self.params_[1:]


RecordingModel = _RecordingModel          # what scorers accept: any model made by make_model()
