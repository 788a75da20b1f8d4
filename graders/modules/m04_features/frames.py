"""Grading-side helpers for the frame descriptions that ``helpers.describe`` sends back.

A description is a dict: ``kind`` ("frame", "series", "tuple", "dict", "other", "unreadable"),
and for frames ``columns``, ``dtypes``, ``n_rows``, ``index`` and per column ``data`` ({"kind",
"values"}). These helpers turn descriptions into learner-facing complaints or comparable values.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from graders.engine.compare import describe as describe_plain
from graders.engine.judges import error_failure, incorrect  # noqa: F401 - incorrect is shared by the topic files

_EPOCH = pd.Timestamp("1970-01-01")
NUMERIC_KINDS = ("number", "bool")


def what(desc: dict) -> str:
    """Learner-facing words for what a description describes."""
    kind = desc.get("kind")
    if kind == "frame":
        return f"a DataFrame with {desc['n_rows']} rows and {len(desc['columns'])} columns"
    if kind == "series":
        return f"a Series of {desc['n_rows']} values (dtype {desc['dtype']})"
    if kind == "tuple":
        return f"a {desc['type']} of {len(desc['items'])} items"
    if kind == "dict":
        return f"a dict with {len(desc['keys'])} keys"
    if kind == "unreadable":
        return f"an object of type {desc['type']} that could not be read ({desc['why']})"
    return describe_plain(desc.get("value"))


def frame_or_failure(case, obs: dict, noun: str = "a DataFrame"):
    """(description, None) when the learner returned a frame, else (None, Failure)."""
    if "error" in obs:
        return None, error_failure(case, obs["error"])
    desc = obs["value"]
    if desc.get("kind") != "frame":
        return None, incorrect(case, f"expected {noun}, got {what(desc)}.")
    return desc, None


def column(desc: dict, name) -> dict | None:
    for col, data in zip(desc["columns"], desc["data"]):
        if col == name:
            return data
    return None


def numbers(data: dict | None) -> np.ndarray | None:
    """Float values of a numeric, flag or datetime column (datetimes as seconds), else None."""
    if data is None or data.get("kind") not in (*NUMERIC_KINDS, "datetime", "date-objects"):
        return None
    return np.asarray(data["values"], dtype=float)


def expected_numbers(s: pd.Series) -> np.ndarray:
    """The same normalisation applied to an oracle's column."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return (s - _EPOCH).dt.total_seconds().to_numpy(dtype=float)
    return s.astype("float64").to_numpy(dtype=float)


def expected_text(s: pd.Series) -> list:
    return [None if pd.isna(v) else str(v) for v in s.astype(object).tolist()]


def same_numbers(got: np.ndarray, exp: np.ndarray, rtol: float = 1e-6, atol: float = 1e-9) -> np.ndarray:
    """Elementwise agreement, NaN matching NaN."""
    if got.shape != exp.shape:
        return np.zeros(exp.shape, dtype=bool)
    both_nan = np.isnan(got) & np.isnan(exp)
    with np.errstate(invalid="ignore"):
        return both_nan | np.isclose(got, exp, rtol=rtol, atol=atol)


def is_integer_dtype(dtype: str) -> bool:
    return dtype.lower().startswith(("int", "uint"))


def series_values(desc: dict) -> np.ndarray | None:
    """Float values of a Series description (or of a 1-D array returned instead)."""
    if desc.get("kind") == "series":
        return numbers(desc["data"])
    if desc.get("kind") == "other":
        value = desc.get("value")
        if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "biuf":
            return value.astype(float)
    return None
