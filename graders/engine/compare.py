"""Comparators: is the learner's value the expected one, and if not, why not?

A comparator is ``compare(got, expected) -> str | None``: None when they match,
otherwise a learner-facing description of the difference that speaks of shapes,
dtypes, NaNs and error sizes, never of the expected values themselves.

Default tolerances follow the syllabus: rtol=1e-6, atol=1e-9 for float64 results,
rtol=1e-4, atol=1e-6 for float32 (decided by the *expected* dtype, so returning
float32 for a float64 input is a loss of precision, not a licence).
"""
from __future__ import annotations

import numpy as np

from .sandbox.plain import Opaque

TOL64 = (1e-6, 1e-9)
TOL32 = (1e-4, 1e-6)


def describe(value) -> str:
    """A short description of what the learner returned."""
    if value is None:
        return "None (did you forget to `return` the result?)"
    if isinstance(value, Opaque):
        return f"an object of type {value.type_name}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, (bool, np.bool_)):
        return f"the boolean {value}"
    if isinstance(value, (int, float, np.number)):
        return f"the number {value!r}" if isinstance(value, (int, float)) else f"a numpy {value.dtype} scalar ({value})"
    return f"a value of type {type(value).__name__}"


def as_numeric(value):
    """The learner's value as a numeric array, or None when it is not numeric data."""
    if isinstance(value, Opaque) or value is None or isinstance(value, (str, bytes, dict)):
        return None
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        return None
    if arr.dtype.kind not in "biufc":
        if arr.dtype == object:
            try:
                arr = arr.astype(float)
            except (TypeError, ValueError):
                return None
        else:
            return None
    return arr


def tolerance(expected, rtol=None, atol=None):
    exp = np.asarray(expected)
    default = TOL32 if exp.dtype in (np.float32, np.float16, np.complex64) else TOL64
    return (default[0] if rtol is None else rtol, default[1] if atol is None else atol)


def close(rtol: float | None = None, atol: float | None = None, shape: bool = True):
    """Numeric match within tolerance; scalars may be Python or numpy scalars or 0-d arrays."""

    def compare(got, expected):
        exp = np.asarray(expected)
        arr = as_numeric(got)
        if arr is None:
            kind = "a number" if exp.ndim == 0 else f"an array of shape {exp.shape}"
            return f"expected {kind}, got {describe(got)}"
        if shape and arr.shape != exp.shape:
            if exp.ndim == 0:
                return f"expected a single number, got {describe(got)}"
            return f"expected shape {exp.shape}, got shape {arr.shape}"
        r, a = tolerance(exp, rtol, atol)
        notes = []
        if exp.dtype.kind in "fc" and arr.dtype.kind in "biu":
            notes.append(f"your result has integer dtype {arr.dtype}, so fractions were lost")
        got_f, exp_f = arr.astype(np.complex128 if "c" in (arr.dtype.kind, exp.dtype.kind) else float), exp.astype(
            np.complex128 if exp.dtype.kind == "c" else float)
        bad_nan = np.isnan(got_f) & ~np.isnan(exp_f)
        if bad_nan.any():
            return _join(notes + [f"your result contains NaN in {int(bad_nan.sum())} of {bad_nan.size} entries"])
        bad_inf = np.isinf(got_f) & ~np.isinf(exp_f)
        if bad_inf.any():
            return _join(notes + [f"your result contains inf in {int(bad_inf.sum())} of {bad_inf.size} entries"])
        missing_inf = np.isinf(exp_f) & ~np.isinf(got_f)
        if missing_inf.any():
            return _join(notes + [f"your result is finite in {int(missing_inf.sum())} entries that should be "
                                  "infinite"])
        ok = np.isclose(got_f, exp_f, rtol=r, atol=a, equal_nan=True)
        if ok.all():
            return None
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.abs(got_f - exp_f) / np.maximum(np.abs(exp_f), a)
        rel = np.where(np.isnan(rel), np.inf, rel)
        worst = float(np.max(np.where(ok, 0, rel)))
        where = "" if exp.ndim == 0 else f" in {int((~ok).sum())} of {ok.size} entries"
        return _join(notes + [f"the values are off{where}: largest relative error about {worst:.0e} "
                              f"(tolerance {r:g})"])

    return compare


def exact():
    """Equality of plain values (labels, strings, integer indices)."""

    def compare(got, expected):
        if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
            arr = as_numeric(got) if np.asarray(expected).dtype.kind in "biuf" else np.asarray(got)
            if arr is None or arr.shape != np.asarray(expected).shape:
                return f"expected shape {np.asarray(expected).shape}, got {describe(got)}"
            diff = arr != np.asarray(expected)
            return None if not diff.any() else f"{int(diff.sum())} of {diff.size} entries are wrong"
        return None if got == expected and type(got) is not Opaque else f"got {describe(got)}"

    return compare


def each(*comparators, names: tuple[str, ...] = ()):
    """A tuple or list of fixed length whose items match one comparator each."""

    def compare(got, expected):
        if isinstance(got, np.ndarray) and got.ndim >= 1 and len(got) == len(comparators):
            got = list(got)
        if not isinstance(got, (tuple, list)) or len(got) != len(comparators):
            return f"expected a pair/tuple of {len(comparators)} items, got {describe(got)}"
        for i, (cmp, g, e) in enumerate(zip(comparators, got, expected)):
            problem = cmp(g, e)
            if problem:
                name = names[i] if i < len(names) else f"item {i}"
                return f"in `{name}`: {problem}"
        return None

    return compare


def _join(parts) -> str:
    return "; ".join(parts)
