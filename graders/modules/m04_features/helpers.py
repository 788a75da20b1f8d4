"""Sandbox-side helpers of 04_features: probes and the description of learner frames.

Only this file runs inside the sandbox (pickled references point here); data generators,
oracles and judges stay in the grading process. Frames are *described* here rather than sent
back whole: the description keeps what the judges compare (dtype names, which the generic
plain conversion does not carry back, and values normalised per column kind: numbers and
flags as float64 with NaN, datetimes as wall-clock seconds, text as str or None).
"""
from __future__ import annotations

import copy
import datetime as _dt
import numbers

import numpy as np
import pandas as pd

from graders.engine.sandbox.probes import shares_child
from graders.engine.sandbox.probing import LearnerFailure, to_plain_safely

_EPOCH = pd.Timestamp("1970-01-01")


# ------------------------------------------------------------------ describing values
def _missing(v) -> bool:
    try:
        return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)
    except Exception:  # noqa: BLE001 - a hostile __ne__
        return False


def describe_column(s: pd.Series) -> dict:
    dtype = s.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        tz = str(dtype.tz) if isinstance(dtype, pd.DatetimeTZDtype) else None
        naive = s.dt.tz_localize(None) if tz else s
        return {"kind": "datetime", "tz": tz,
                "values": (naive - _EPOCH).dt.total_seconds().to_numpy(dtype=float)}
    if pd.api.types.is_bool_dtype(dtype):
        return {"kind": "bool", "values": s.astype("float64").to_numpy(dtype=float)}
    if pd.api.types.is_numeric_dtype(dtype):
        return {"kind": "number", "values": s.astype("float64").to_numpy(dtype=float)}
    items = s.astype(object).tolist() if isinstance(dtype, pd.CategoricalDtype) else s.to_numpy(dtype=object).tolist()
    present = [v for v in items if not _missing(v)]
    if all(type(v) is str or isinstance(v, str) for v in present):
        return {"kind": "text", "values": [None if _missing(v) else str.__str__(v) for v in items]}
    if all(isinstance(v, (bool, np.bool_)) for v in present):
        return {"kind": "bool", "values": np.array([np.nan if _missing(v) else float(bool(v)) for v in items])}
    if all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) for v in present):
        return {"kind": "number", "values": np.array([np.nan if _missing(v) else float(v) for v in items])}
    if all(isinstance(v, (_dt.date, pd.Timestamp, np.datetime64)) for v in present):
        stamps = pd.to_datetime(pd.Series([None if _missing(v) else v for v in items], dtype=object))
        return {"kind": "date-objects", "values": (stamps - _EPOCH).dt.total_seconds().to_numpy(dtype=float)}
    kinds = sorted({type(v).__name__ for v in present})
    return {"kind": "mixed", "types": kinds[:5]}


def describe(value) -> dict:
    """A plain, comparable description of what learner code returned."""
    if isinstance(value, pd.DataFrame):
        return {"kind": "frame", "columns": value.columns.tolist(), "dtypes": [str(d) for d in value.dtypes.tolist()],
                "n_rows": int(len(value)), "index": value.index.tolist(), "index_name": value.index.name,
                "data": [describe_column(value.iloc[:, i]) for i in range(value.shape[1])]}
    if isinstance(value, pd.Series):
        return {"kind": "series", "dtype": str(value.dtype), "name": value.name,
                "n_rows": int(len(value)), "index": value.index.tolist(),
                "data": describe_column(value)}
    if isinstance(value, (tuple, list)) and any(isinstance(v, (pd.DataFrame, pd.Series)) for v in value):
        return {"kind": "tuple", "type": type(value).__name__, "items": [describe(v) for v in value]}
    if isinstance(value, dict):
        return {"kind": "dict", "keys": list(dict.keys(value)), "values": list(dict.values(value))}
    return {"kind": "other", "type": type(value).__name__, "value": value}


def safe_describe(value):
    """The description as plain data (converted once, here: probes return plain trees only)."""
    try:
        return to_plain_safely(describe(value))
    except Exception as exc:  # noqa: BLE001 - an odd object the description cannot read
        return to_plain_safely({"kind": "unreadable", "type": type(value).__name__,
                                "why": f"{type(exc).__name__}: {exc}"[:200]})


def same_frame(a, b) -> bool:
    """Is the input object exactly as it was (values, dtypes, labels)?"""
    try:
        if isinstance(a, pd.DataFrame):
            return (isinstance(b, pd.DataFrame) and a.shape == b.shape and a.columns.equals(b.columns)
                    and a.index.equals(b.index) and list(map(str, a.dtypes)) == list(map(str, b.dtypes))
                    and a.equals(b))
        if isinstance(a, pd.Series):
            return isinstance(b, pd.Series) and str(a.dtype) == str(b.dtype) and a.index.equals(b.index) and a.equals(b)
    except Exception:  # noqa: BLE001
        return False
    return True


# ------------------------------------------------------------------ probes
@shares_child
def frames_each(ctx, target: str, cases, keep_args: bool = False):
    """Call ``target(*args, **kwargs)`` per case; describe the result; report inputs it modified."""
    fn = ctx.lookup(target)
    out = []
    for i, (args, kwargs) in enumerate(cases):
        ctx.progress(i)
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        before = [a.copy(deep=True) if isinstance(a, (pd.DataFrame, pd.Series)) else None for a in args]
        try:
            value = ctx.run(fn, *args, **kwargs)
        except LearnerFailure as failure:
            out.append({"error": failure.info})
            continue
        mutated = [i for i, (a, b) in enumerate(zip(before, args)) if a is not None and not same_frame(a, b)]
        out.append({"value": safe_describe(value), "mutated": mutated})
    return out


# ------------------------------------------------------------------ make_preprocessor
def _dense(a):
    if hasattr(a, "toarray"):
        a = a.toarray()
    return np.asarray(a, dtype=float)


def preprocessor_kind(ctx, target: str, numeric, categorical):
    """What make_preprocessor returns: its type, whether it is a ColumnTransformer, whether already fitted."""
    from sklearn.compose import ColumnTransformer
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    fn = ctx.lookup(target)
    try:
        pre = ctx.run(fn, list(numeric), list(categorical))
    except LearnerFailure as failure:
        return {"error": failure.info}
    cls = type(pre)
    fitted = True
    try:
        check_is_fitted(pre)
    except NotFittedError:
        fitted = False
    except Exception:  # noqa: BLE001 - not an estimator at all
        fitted = None
    return {"type": f"{cls.__module__}.{cls.__qualname__}", "is_ct": isinstance(pre, ColumnTransformer),
            "fitted": fitted}


def pipeline_predictions(ctx, target: str, numeric, categorical, runs):
    """For each ``(X_fit, y_fit, X_predict)``: Pipeline(make_preprocessor(...), LogisticRegression) -> P(y=1)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    fn = ctx.lookup(target)
    out = []
    for i, (X_fit, y_fit, X_pred) in enumerate(runs):
        ctx.progress(i)
        try:
            pre = ctx.run(fn, list(numeric), list(categorical))
            pipe = Pipeline([("preprocess", pre), ("model", LogisticRegression(max_iter=1000))])
            ctx.run(pipe.fit, X_fit.copy(deep=True), np.asarray(y_fit), stage="fit")
            proba = ctx.run(pipe.predict_proba, X_pred.copy(deep=True), stage="predict")
            out.append({"value": to_plain_safely(np.asarray(proba, dtype=float)[:, 1])})
        except LearnerFailure as failure:
            out.append({"error": failure.info})
        except Exception as exc:  # noqa: BLE001 - e.g. the preprocessor is not an estimator
            out.append({"error": {"type": type(exc).__name__, "message": str(exc)[:300], "trace": [],
                                  "stage": "pipeline", "not_implemented": False}})
    return out


def preprocessor_outputs(ctx, target: str, numeric, categorical, X_fit, frames):
    """Fit make_preprocessor(...) on X_fit and transform each frame: the dense outputs."""
    fn = ctx.lookup(target)
    try:
        pre = ctx.run(fn, list(numeric), list(categorical))
        ctx.run(lambda: pre.fit(X_fit.copy(deep=True)), stage="fit")
        outputs = [ctx.run(lambda f=f: pre.transform(f.copy(deep=True)), stage="transform") for f in frames]
    except LearnerFailure as failure:
        return {"error": failure.info}
    try:
        return {"outputs": [to_plain_safely(_dense(o)) for o in outputs]}
    except (TypeError, ValueError) as exc:    # e.g. text passed through: not a numeric matrix
        return {"error": {"type": type(exc).__name__, "message": str(exc)[:300], "trace": [], "stage": "transform",
                          "not_implemented": False}}
