"""The reference KNN prediction is timed against (speed budget): grader code, never in the sandbox.

It runs only in the reference process (``graders.engine.yardstick``), which never holds learner code.
"""
from __future__ import annotations

import numpy as np


def reference_knn_predict(X_train, y_train, X_test, k):
    """A vectorised k-NN prediction: the yardstick for the speed budget (not for correctness)."""
    d = (X_test ** 2).sum(1)[:, None] + (X_train ** 2).sum(1)[None, :] - 2.0 * X_test @ X_train.T
    idx = np.argpartition(d, k - 1, axis=1)[:, :k]
    classes, codes = np.unique(y_train, return_inverse=True)
    counts = np.zeros((len(X_test), len(classes)), dtype=np.int64)
    np.add.at(counts, (np.arange(len(X_test))[:, None], codes[idx]), 1)
    return classes[counts.argmax(1)]
