"""Grading-process utilities of 10_vision: the pinned tolerance rule, tuple items, one-thread torch oracles.

The syllabus pins numpy exercises to float64 inputs, and "a float32 result is compared at
the float32 tolerance": unlike the engine's ``close()`` (whose tolerance follows the
*expected* dtype), ``by_result`` takes the tolerance from what the learner returned.
Tensors are accepted wherever an array is (converted, never judged by their type).

torch is imported where it is used, never when the module loads: grading an untouched
notebook then costs no torch import in the grading process (seconds).
"""
from __future__ import annotations

import contextlib
import functools
import sys

import numpy as np

from graders.engine.compare import TOL32, TOL64, as_numeric, close, describe
from graders.engine.sandbox.plain import Opaque

_PIN = {"depth": 0}


@contextlib.contextmanager
def one_thread():
    """torch on one thread inside the block; the caller's setting (maybe a learner's kernel) is restored."""
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
    """Decorator: an oracle computing with torch runs on one thread (same low bits on every machine)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with one_thread():
            return fn(*args, **kwargs)

    return wrapper


def is_tensor(value) -> bool:
    """A torch tensor, without importing torch (a tensor can only exist once torch is loaded)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def to_numpy(value):
    """Tensors (at any depth of tuples and lists) as numpy arrays; everything else unchanged."""
    if is_tensor(value):
        return value.detach().cpu().numpy()
    if isinstance(value, (tuple, list)):
        return type(value)(to_numpy(v) for v in value)
    return value


def what(value) -> str:
    if is_tensor(value):
        return f"a tensor of shape {tuple(value.shape)} and dtype {str(value.dtype).replace('torch.', '')}"
    return describe(value)


def result_tolerance(got) -> tuple[float, float]:
    """float32 (or float16) results are compared at the float32 tolerance, everything else at float64's."""
    arr = as_numeric(to_numpy(got))
    return TOL32 if arr is not None and arr.dtype in (np.float32, np.float16) else TOL64


def by_result(empty_ok: bool = False):
    """close() with the tolerance of the learner's dtype; ``empty_ok``: any empty array matches an empty one."""

    def compare(got, expected):
        got, exp = to_numpy(got), np.asarray(to_numpy(expected))
        if empty_ok and exp.size == 0:
            arr = as_numeric(got)
            return None if arr is not None and arr.size == 0 else f"expected an empty array, got {what(got)}"
        rtol, atol = result_tolerance(got)
        return close(rtol, atol)(got, exp)

    return compare


def item(value, index: int, count: int):
    """Item ``index`` of a tuple/list of ``count`` items, or None when ``value`` is not one."""
    if isinstance(value, (tuple, list)) and len(value) == count and not isinstance(value, Opaque):
        return value[index]
    return None


def item_compare(index: int, count: int, name: str, compare=None):
    """Compare only item ``index`` of a returned tuple (a check per item gives partial credit per item)."""
    compare = compare or by_result()

    def cmp(got, expected):
        if not (isinstance(got, (tuple, list)) and len(got) == count):
            return f"expected a tuple of {count} items, got {what(got)}"
        problem = compare(got[index], expected[index])
        return None if problem is None else f"in `{name}`: {problem}"

    return cmp


def float_array(value):
    """The learner's value as a float64 array, or None (tensors converted, non-numeric data refused)."""
    arr = as_numeric(to_numpy(value))
    return None if arr is None else arr.astype(float)


def near(got, expected, rtol: float = 1e-4, atol: float = 1e-6) -> bool:
    """Same shape and close (loose float32 tolerance): used by detectors that name a mistake."""
    a, b = float_array(got), float_array(expected)
    return a is not None and b is not None and a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def items_compare(names: tuple[str, ...], compares=None):
    """Every item of a returned tuple, in order; the first item that differs is named."""
    compares = compares or tuple(by_result() for _ in names)
    parts = [item_compare(i, len(names), name, cmp) for i, (name, cmp) in enumerate(zip(names, compares))]

    def cmp(got, expected):
        for part in parts:
            problem = part(got, expected)
            if problem is not None:
                return problem
        return None

    return cmp
