"""The reference vectorized_distance is timed against (speed budget): grader code, never in the sandbox.

It runs only in the reference process (``graders.engine.yardstick``), which never holds learner code.
"""
from __future__ import annotations

import numpy as np


def reference_distance(A, B):
    """The yardstick of the speed budget: |a|² + |b|² - 2ab, clipped at 0."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    sq = (A * A).sum(1)[:, None] + (B * B).sum(1)[None, :] - 2.0 * (A @ B.T)
    np.maximum(sq, 0.0, out=sq)
    return np.sqrt(sq, out=sq)
