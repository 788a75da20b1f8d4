"""Grading-process utilities of 06_deep_learning: one-thread oracles, tensor-aware comparison, wording.

Oracles run torch on one thread, as the sandbox does (``one_thread``): they replay
training loops and compare weights, and one thread gives the same arithmetic on
every machine and never competes with the sandbox for two cores. The thread count
is restored afterwards: the grading process may be a learner's Jupyter kernel
(inline ``check()``), whose own training must not be slowed down.
"""
from __future__ import annotations

import contextlib
import functools

import numpy as np
import torch

from graders.engine.compare import close, describe
from graders.engine.judges import incorrect  # noqa: F401 - shared by the topic files
from graders.engine.sandbox.plain import Opaque
from graders.engine.spec import Failure

TOL_F32 = (1e-4, 1e-5)
_PIN = {"depth": 0}


@contextlib.contextmanager
def one_thread():
    """torch on one thread inside the block (re-entrant); the caller's setting is restored after it."""
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
    """Decorator: run an oracle (or a judge that computes with torch) under ``one_thread``."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with one_thread():
            return fn(*args, **kwargs)

    return wrapper   # float32 layers: sums of tens of products carry ~1e-6 absolute round-off


def to_numpy(value):
    """Tensors (at any depth of tuples, lists, dicts) as numpy arrays; everything else unchanged."""
    if isinstance(value, torch.Tensor):
        t = value.detach().cpu()
        return (t.float() if t.dtype == torch.bfloat16 else t).numpy()
    if isinstance(value, (tuple, list)):
        return type(value)(to_numpy(v) for v in value)
    if isinstance(value, dict):
        return {k: to_numpy(v) for k, v in value.items()}
    return value


def as_float(value) -> float | None:
    """A single number from a Python/numpy scalar, a 0-d or 1-element tensor/array; None otherwise."""
    value = to_numpy(value)
    if isinstance(value, (bool, np.bool_, Opaque, str, bytes, dict)) or value is None:
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(arr.reshape(())) if arr.size == 1 else None


def what(value) -> str:
    """describe() that knows tensors."""
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)} and dtype {str(value.dtype).replace('torch.', '')}"
    return describe(value)


def tclose(rtol: float | None = None, atol: float | None = None):
    """close() for tensors or arrays: the learner may return either. The oracle's dtype sets the default
    tolerance: float64 as in the syllabus, float32 ``TOL_F32`` (layers sum many float32 products)."""

    def compare(got, expected):
        exp = to_numpy(expected)
        if isinstance(got, torch.Tensor):
            if tuple(got.shape) != tuple(np.shape(exp)):
                return f"expected shape {tuple(np.shape(exp))}, got {what(got)}"
        elif isinstance(got, (tuple, list)) and np.ndim(exp) > 0:
            return f"expected a tensor of shape {tuple(np.shape(exp))}, got {what(got)}"
        f32 = np.asarray(exp).dtype == np.float32
        r = rtol if rtol is not None else (TOL_F32[0] if f32 else None)
        a = atol if atol is not None else (TOL_F32[1] if f32 else None)
        return close(r, a)(to_numpy(got), exp)

    return compare


def t_label(t, name: str = "") -> str:
    """Learner-facing description of a tensor input: "x = a (2, 3, 8, 8) float32 tensor"."""
    shape = tuple(t.shape)
    dims = f"({shape[0]},)" if len(shape) == 1 else str(shape)
    return f"{name + ' = ' if name else ''}a {dims} {str(t.dtype).replace('torch.', '')} tensor"


def states_equal(a: dict, b: dict, rtol: float = 0.0, atol: float = 0.0) -> bool:
    """Same keys and the same tensors (exactly, by default)."""
    if not isinstance(a, dict) or not isinstance(b, dict) or a.keys() != b.keys():
        return False
    for k in a:
        x, y = to_numpy(a[k]), to_numpy(b[k])
        if np.shape(x) != np.shape(y):
            return False
        if not np.allclose(np.asarray(x, dtype=float), np.asarray(y, dtype=float), rtol=rtol, atol=atol):
            return False
    return True


def module_failure(case, rec: dict, what_: str) -> Failure | None:
    """The object a class exercise built is not an nn.Module."""
    if not rec.get("is_module"):
        return incorrect(case, f"your {what_} is a {rec.get('type', '?')}, not an nn.Module: subclass torch.nn.Module "
                               "and call super().__init__() first in __init__.", "not-a-module")
    return None


def on_tensors(fn):
    """An oracle or variant called on a generated case (numpy arrays as the engine draws them, a mask's name)
    as the probe (observers.tensor_call_probe) calls the learner's function: on tensors."""
    from .helpers import as_tensors

    @functools.wraps(fn)
    def call(*args, **kwargs):
        args, kwargs = as_tensors(args, kwargs)
        return fn(*args, **kwargs)

    return call
