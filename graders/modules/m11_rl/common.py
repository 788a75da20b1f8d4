"""Grading-process utilities of 11_rl: tensor-aware comparison, one-thread oracles, wording.

Oracles that compute with torch run on one thread (``pinned``), as the sandbox does: the same
arithmetic on every machine, no competition with the sandbox for two cores. The caller's thread
count is restored afterwards (the grading process may be a learner's kernel running check()).
torch is imported only when an oracle or a comparison needs it: grading an untouched notebook
(or a learner's check() of a numpy exercise) does not pay for importing it.
"""
from __future__ import annotations

import contextlib
import functools
import sys

import numpy as np

from graders.engine.compare import close, describe
from graders.engine.judges import error_failure, incorrect  # noqa: F401 - shared by the exercise files
from graders.engine.sandbox.plain import Opaque

MODULE_ID = "11_rl"
_PIN = {"depth": 0}


def is_tensor(value) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


@contextlib.contextmanager
def one_thread():
    import torch

    before = torch.get_num_threads()
    _PIN["depth"] += 1
    torch.set_num_threads(1)
    try:
        yield
    finally:
        _PIN["depth"] -= 1
        if _PIN["depth"] == 0:
            torch.set_num_threads(before)


def pinned(fn):
    """Decorator: run an oracle under ``one_thread``."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with one_thread():
            return fn(*args, **kwargs)

    return wrapper


def to_numpy(value):
    """Tensors (at any depth of tuples, lists, dicts) as numpy arrays; everything else unchanged."""
    if is_tensor(value):
        return value.detach().cpu().numpy()
    if isinstance(value, (tuple, list)):
        return type(value)(to_numpy(v) for v in value)
    if isinstance(value, dict):
        return {k: to_numpy(v) for k, v in value.items()}
    return value


def what(value) -> str:
    """describe() that knows tensors."""
    if is_tensor(value):
        return f"a tensor of shape {tuple(value.shape)} and dtype {str(value.dtype).replace('torch.', '')}"
    return describe(value)


def as_float(value) -> float | None:
    """A single number from a Python/numpy scalar or a 1-element array/tensor; None otherwise."""
    value = to_numpy(value)
    if isinstance(value, (bool, np.bool_, Opaque, str, bytes, dict)) or value is None:
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(arr.reshape(())) if arr.size == 1 else None


def as_vector(value, n: int | None = None):
    """A 1-d float array (from an array, list or tensor), or None."""
    value = to_numpy(value)
    if isinstance(value, (Opaque, str, bytes, dict)) or value is None:
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    if arr.ndim != 1 or (n is not None and arr.shape != (n,)):
        return None
    return arr


def tclose(rtol: float | None = None, atol: float | None = None):
    """close() for tensors or arrays: the learner may return either; the oracle's dtype sets the default
    tolerance (float64 or float32 as in the syllabus)."""

    def compare(got, expected):
        exp = to_numpy(expected)
        if is_tensor(got) and tuple(got.shape) != tuple(np.shape(exp)):
            if np.ndim(exp) == 0:
                return f"expected a single number (a 0-d tensor), got {what(got)}"
            return f"expected shape {tuple(np.shape(exp))}, got {what(got)}"
        return close(rtol, atol)(to_numpy(got), exp)

    return compare


def t_label(shape, dtype: str, name: str = "") -> str:
    """Learner-facing description of a tensor input: "x = a (2, 3) float32 tensor"."""
    shape = tuple(shape)
    dims = f"({shape[0]},)" if len(shape) == 1 else str(shape)
    return f"{name + ' = ' if name else ''}a {dims} {dtype} tensor"
