"""Grading-process utilities of 13_xai: tensors accepted wherever arrays are, float comparisons.

torch is never imported here: a tensor can only exist once torch is loaded, so grading an
untouched notebook costs no torch import.
"""
from __future__ import annotations

import sys

import numpy as np

from graders.engine.compare import as_numeric, close, describe
from graders.engine.sandbox.plain import Opaque

MODULE_ID = "13_xai"


def is_tensor(value) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def to_numpy(value):
    """Tensors (also inside tuples/lists) as numpy arrays; everything else unchanged."""
    if is_tensor(value):
        return value.detach().cpu().numpy()
    if isinstance(value, (tuple, list)) and not isinstance(value, Opaque):
        return type(value)(to_numpy(v) for v in value)
    return value


def what(value) -> str:
    if is_tensor(value):
        return f"a tensor of shape {tuple(value.shape)} and dtype {str(value.dtype).replace('torch.', '')}"
    return describe(value)


def float_array(value):
    """The learner's value as a float64 array, or None when it is not numeric data."""
    arr = as_numeric(to_numpy(value))
    return None if arr is None else arr.astype(float)


def tensor_close(rtol: float, atol: float):
    """close() at a fixed tolerance, tensors converted first (numpy accepted as well)."""
    cmp = close(rtol, atol)

    def compare(got, expected):
        got = to_numpy(got)
        arr = as_numeric(got)
        if arr is not None and arr.dtype != np.float64 and arr.dtype.kind == "f":
            got = arr.astype(np.float64)     # the tolerance is pinned; a float32 result is judged by it
        return cmp(got, np.asarray(to_numpy(expected), dtype=float))

    return compare


def near(got, expected, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
    a, b = float_array(got), float_array(expected)
    return a is not None and b is not None and a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))
