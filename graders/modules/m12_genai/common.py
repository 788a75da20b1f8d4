"""Grading-process utilities of 12_genai: wording, tensor-aware comparison, variants that name mistakes.

Comparators follow the engine's convention ``compare(got, expected) -> None | str``: the string
describes the difference (shapes, dtypes, sizes of errors, positions) and never quotes an expected value.
Oracles that compute with torch run on one thread (``pinned``), as the sandbox does: the same
arithmetic on every machine, and no competition with the sandbox for two cores.
"""
from __future__ import annotations

import contextlib
import functools

import numpy as np
import torch

from graders.engine.compare import as_numeric, close, describe
from graders.engine.judges import error_failure, incorrect  # noqa: F401 - shared by the topic files
from graders.engine.sandbox.plain import Opaque
from graders.engine.spec import Mistake

MODULE_ID = "12_genai"
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
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with one_thread():
            return fn(*args, **kwargs)

    return wrapper


def to_numpy(value):
    """Tensors (at any depth of tuples, lists, dicts) as numpy arrays; everything else unchanged."""
    if isinstance(value, torch.Tensor):
        t = value.detach().cpu()
        return (t.float() if t.dtype in (torch.bfloat16, torch.float16) else t).numpy()
    if isinstance(value, (tuple, list)):
        return type(value)(to_numpy(v) for v in value)
    if isinstance(value, dict):
        return {k: to_numpy(v) for k, v in value.items()}
    return value


def what(value) -> str:
    """describe() that knows tensors."""
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)} and dtype {str(value.dtype).replace('torch.', '')}"
    return describe(value)


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


def as_int_list(value):
    """A list/tuple/1-d integer array or tensor as a list of Python ints, else None."""
    value = to_numpy(value)
    if isinstance(value, np.ndarray):
        if value.ndim == 1 and value.size == 0:
            return []
        if value.ndim != 1 or value.dtype.kind not in "iu":
            return None
        return [int(v) for v in value.tolist()]
    if not isinstance(value, (list, tuple)):
        return None
    out = []
    for v in value:
        v = to_numpy(v)
        if isinstance(v, np.ndarray) and v.size == 1 and v.dtype.kind in "iu":
            v = v.reshape(()).item()
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            return None
        out.append(int(v))
    return out


def tclose(rtol: float | None = None, atol: float | None = None):
    """close() for tensors or arrays: the learner may return either."""

    def compare(got, expected):
        exp = to_numpy(expected)
        if isinstance(got, torch.Tensor) and tuple(got.shape) != tuple(np.shape(exp)):
            return f"expected shape {tuple(np.shape(exp))}, got {what(got)}"
        return close(rtol, atol)(to_numpy(got), exp)

    return compare


def t_label(t, name: str = "") -> str:
    shape = tuple(t.shape)
    dims = f"({shape[0]},)" if len(shape) == 1 else str(shape)
    return f"{name + ' = ' if name else ''}a {dims} {str(t.dtype).replace('torch.', '')} tensor"


# ------------------------------------------------------------------ recognising mistakes
def any_variant(*variants, compare):
    """A Mistake detector: the learner's value equals one of several wrong implementations (which differ
    from the expected value on this case)."""

    def detect(case, obs, expected):
        if "value" not in obs or expected is None:
            return False
        for variant in variants:
            try:
                with np.errstate(all="ignore"):
                    wrong = variant(*case.args, **case.kwargs)
            except Exception:  # noqa: BLE001, S112 - a variant that cannot run on this case does not match
                continue
            if compare(wrong, expected) is not None and compare(obs["value"], wrong) is None:
                return True
        return False

    return detect


def raised(*types, tag: str | None = None):
    """A Mistake detector: the learner's code raised (one of ``types``, any when empty) on a case tagged ``tag``."""

    def detect(case, obs, expected):
        err = obs.get("error") if isinstance(obs, dict) else None
        if not err or err.get("not_implemented"):
            return False
        if tag is not None and tag not in case.tags:
            return False
        return not types or err.get("type") in types

    return detect


def not_finite(tag: str | None = None):
    def detect(case, obs, expected):
        if tag is not None and tag not in case.tags:
            return False
        arr = as_numeric(obs.get("value")) if "value" in obs else None
        return arr is not None and arr.dtype.kind in "fc" and not np.isfinite(arr).all()

    return detect


def either(*detectors):
    return lambda case, obs, expected: any(d(case, obs, expected) for d in detectors)


def mistake(id_: str, message: str, *variants, compare=None, detect=None) -> Mistake:
    """A Mistake recognised by one or more variants (compared with ``compare``) or by ``detect``."""
    if variants and detect is None:
        return Mistake(id_, message, detect=any_variant(*variants, compare=compare or close()))
    return Mistake(id_, message, detect=detect)


def first_error(cases, observations):
    for case, obs in zip(cases, observations):
        if isinstance(obs, dict) and "error" in obs:
            return error_failure(case, obs["error"])
    return None
