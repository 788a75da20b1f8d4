"""Sandbox-side helpers of 02_math: the functions handed to learner code, and probes.

Only this file is needed inside the sandbox (pickled references point here); the
oracles and judges in the sibling files stay in the grading process.
"""
from __future__ import annotations

import numpy as np


# ------------------------------------------------ functions to differentiate
def square_sum(x):
    """f(x) = sum(x^2): the notebook's example."""
    return float(np.sum(np.asarray(x) ** 2))


def curvy(x):
    """f(x) = sum(exp(2x)) + sum(x^3)/3: strong curvature exposes O(eps) errors."""
    x = np.asarray(x)
    return float(np.sum(np.exp(2.0 * x)) + np.sum(x ** 3) / 3.0)


def wavy(x):
    """f(x) = sum(sin(3x) x^2) + 0.5 sum(x)^2: couples all entries."""
    x = np.asarray(x)
    return float(np.sum(np.sin(3.0 * x) * x ** 2) + 0.5 * np.sum(x) ** 2)


# ------------------------------------------------ gradients to descend
CENTER = np.array([1.0, -2.0, 0.5])
HESSIAN = np.array([[3.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 2.0]])


def double_grad(x):
    """Gradient of sum(x^2): the notebook's example."""
    return 2.0 * np.asarray(x)


def bowl_grad(x):
    """Gradient of a tilted quadratic bowl (for 1-D x of length 2 or 3)."""
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    return HESSIAN[:n, :n] @ (x - CENTER[:n])


def bumpy_grad(x):
    """An elementwise gradient for x of any shape."""
    x = np.asarray(x, dtype=float)
    return 2.0 * (x - 1.5) + 0.3 * np.sin(x)


# ------------------------------------------------ statistics for the bootstrap
def _one_d(sample):
    sample = np.asarray(sample)
    if sample.ndim != 1:
        raise ValueError(f"stat expects one 1-D resample, got an array of shape {sample.shape}")
    return sample


def sample_mean(sample):
    """The mean of one 1-D resample."""
    return float(np.mean(_one_d(sample)))


def trimmed_mean(sample):
    """The 10% trimmed mean of one 1-D resample."""
    s = np.sort(_one_d(sample))
    cut = int(0.1 * len(s))
    return float(np.mean(s[cut:len(s) - cut]))
