"""Turning whatever learner code returns into plain data, and back.

The sandbox calls :func:`to_plain` on every value a probe observes. The result is
a tree of builtins only (None, bool, int, float, complex, str, bytes, tuple, list,
dict, frozenset) in which arrays, numpy scalars, pandas and torch objects are
*tagged tuples* of such builtins. That tree crosses the process boundary (see
``safe_pickle.py``) and :func:`revive` rebuilds arrays and frames from it in the grading
process. Anything else becomes an :class:`Opaque` record (type name and a short
repr): an object whose ``__eq__`` always says "equal" can never be compared with
a reference, because only its description crosses over.

Conversions call the *base-class* methods (``float.__float__``,
``np.ndarray.view``) so that a subclass overriding ``__float__`` or ``__array__``
cannot change what is reported.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

TAG = "\x00mlkata"          # first element of every tagged tuple
MAX_ITEMS = 2_000_000       # elements in one container before we stop converting
MAX_DEPTH = 24


@dataclass(frozen=True)
class Opaque:
    """A value that is not plain data: only its type and a short repr survive."""

    type_name: str
    text: str

    def __str__(self) -> str:
        return f"an object of type {self.type_name}"


def _qualname(obj) -> str:
    cls = type(obj)
    mod = getattr(cls, "__module__", "") or ""
    return cls.__qualname__ if mod in ("builtins", "__main__") else f"{mod}.{cls.__qualname__}"


def _safe_repr(obj, limit: int = 120) -> str:
    try:
        text = object.__repr__(obj) if type(obj).__repr__ is object.__repr__ else repr(obj)
    except BaseException:  # a hostile __repr__ must not break the probe
        text = f"<{_qualname(obj)}>"
    text = str.__str__(text) if isinstance(text, str) else "<repr failed>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _array_tag(arr, np):
    arr = np.ndarray.view(arr, np.ndarray)
    if arr.dtype.hasobject:
        items = [to_plain(x) for x in arr.ravel(order="C").tolist()]
        return (TAG, "objarray", tuple(arr.shape), items)
    return (TAG, "ndarray", arr.dtype.str, tuple(arr.shape), arr.tobytes(order="C"))


def to_plain(obj, depth: int = 0):
    """Convert ``obj`` to a builtin-only tree; runs inside the sandbox."""
    if depth > MAX_DEPTH:
        return (TAG, "opaque", "nested too deeply", "...")
    t = type(obj)
    if obj is None or t is bool:
        return obj
    if t is int:
        return obj
    if t is float:
        return obj
    if t is str:
        return obj
    if t is complex or t is bytes:
        return obj
    if isinstance(obj, BaseException):
        return (TAG, "opaque", _qualname(obj), _safe_repr(obj))
    mod = getattr(t, "__module__", "") or ""
    if mod.startswith("numpy"):
        import numpy as np

        if isinstance(obj, np.ndarray):
            return _array_tag(obj, np)
        if isinstance(obj, np.generic) and t.__module__.startswith("numpy"):
            arr = np.asarray(obj) if not isinstance(obj, np.object_) else None
            if arr is not None and not arr.dtype.hasobject:
                return (TAG, "npscalar", arr.dtype.str, arr.tobytes())
        if isinstance(obj, np.dtype):
            return (TAG, "dtype", obj.str)
    if mod.startswith("pandas"):
        tagged = _pandas_tag(obj, depth)
        if tagged is not None:
            return tagged
    if mod.startswith("torch"):
        import torch

        if isinstance(obj, torch.Tensor):
            t_ = torch.Tensor.detach(obj).cpu()
            if t_.dtype in (torch.bfloat16, torch.float16):
                t_ = t_.float()
            return (TAG, "tensor", _array_tag(t_.numpy(), __import__("numpy")),
                    str(obj.dtype), bool(obj.requires_grad), str(obj.device),
                    isinstance(obj, torch.nn.Parameter))
    # subclasses of builtins are reduced to their base value; their overrides never run
    if isinstance(obj, bool):
        return bool(int.__int__(obj))
    if isinstance(obj, int):
        return int.__int__(obj)
    if isinstance(obj, float):
        return float.__float__(obj)
    if isinstance(obj, str):
        return str.__str__(obj)
    if isinstance(obj, (list, tuple)):
        if len(obj) > MAX_ITEMS:
            return (TAG, "opaque", _qualname(obj), f"a sequence of {len(obj)} items (too long)")
        items = [to_plain(x, depth + 1) for x in list.__iter__(list(obj))]
        return items if isinstance(obj, list) else (TAG, "tuple", items)
    if isinstance(obj, dict):
        if len(obj) > MAX_ITEMS:
            return (TAG, "opaque", _qualname(obj), "a dict that is too large")
        pairs = [(to_plain(k, depth + 1), to_plain(v, depth + 1)) for k, v in dict.items(obj)]
        return (TAG, "dict", pairs)
    if isinstance(obj, (set, frozenset)):
        return (TAG, "set", [to_plain(x, depth + 1) for x in obj])
    return (TAG, "opaque", _qualname(obj), _safe_repr(obj))


def _pandas_tag(obj, depth):
    import numpy as np
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        cols = [to_plain(c, depth + 1) for c in obj.columns.tolist()]
        data = [_series_values(obj.iloc[:, i], np) for i in range(obj.shape[1])]
        dtypes = [str(d) for d in obj.dtypes.tolist()]
        return (TAG, "dataframe", cols, data, dtypes, _index_tag(obj.index, np))
    if isinstance(obj, pd.Series):
        return (TAG, "series", _series_values(obj, np), str(obj.dtype),
                _index_tag(obj.index, np), to_plain(obj.name, depth + 1))
    if isinstance(obj, pd.Index):
        return _index_tag(obj, np)
    if obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, pd.Timestamp):
        stamp = np.asarray(obj.to_datetime64())      # keeps its own unit (pandas 3 may use us, not ns)
        return (TAG, "npscalar", stamp.dtype.str, stamp.tobytes())
    return None


def _series_values(s, np):
    values = s.to_numpy(dtype=object) if s.dtype == object or str(s.dtype) in ("string", "str", "category") else s.to_numpy()
    if not isinstance(values, np.ndarray):
        values = np.asarray(values, dtype=object)
    if values.dtype.hasobject:
        values = np.array([None if _is_missing(v) else v for v in values], dtype=object)
    return _array_tag(values, np)


def _is_missing(v):
    try:
        import pandas as pd

        return v is pd.NA or v is pd.NaT or (type(v) is float and math.isnan(v))
    except Exception:
        return False


def _index_tag(index, np):
    return (TAG, "index", _series_values(index.to_series(), np), str(index.dtype), to_plain(index.name))


# ---------------------------------------------------------------- grading side
def revive(tree):
    """Rebuild arrays, frames and tensors from a plain tree (grading process)."""
    if isinstance(tree, list):
        return [revive(x) for x in tree]
    if isinstance(tree, dict):   # envelopes built by our probes
        return {k: revive(v) for k, v in tree.items()}
    if not (isinstance(tree, tuple) and len(tree) >= 2 and tree[0] == TAG):
        return tree
    kind = tree[1]
    import numpy as np

    if kind == "ndarray":
        _, _, dtype, shape, raw = tree
        return np.frombuffer(raw, dtype=np.dtype(dtype)).reshape(shape).copy()
    if kind == "objarray":
        _, _, shape, items = tree
        out = np.empty(len(items), dtype=object)
        for i, item in enumerate(items):
            out[i] = revive(item)
        return out.reshape(shape)
    if kind == "npscalar":
        _, _, dtype, raw = tree
        return np.frombuffer(raw, dtype=np.dtype(dtype))[0]
    if kind == "dtype":
        return np.dtype(tree[2])
    if kind == "tuple":
        return tuple(revive(x) for x in tree[2])
    if kind == "dict":
        return {_hashable(revive(k)): revive(v) for k, v in tree[2]}
    if kind == "set":
        return frozenset(_hashable(revive(x)) for x in tree[2])
    if kind == "opaque":
        return Opaque(str(tree[2]), str(tree[3]))
    if kind in ("series", "dataframe", "index"):
        return _revive_pandas(tree)
    if kind == "tensor":
        import torch

        values = revive(tree[2])
        tensor = torch.from_numpy(np.array(values))
        if tree[3] == "torch.bfloat16":
            tensor = tensor.to(torch.bfloat16)
        if tree[4] and tensor.is_floating_point():
            tensor.requires_grad_(True)
        tensor.mlkata_device = tree[5]          # where the learner's tensor lived
        tensor.mlkata_is_parameter = tree[6]
        return tensor
    raise ValueError(f"unknown plain tag {kind!r}")


def _hashable(x):
    try:
        hash(x)
        return x
    except TypeError:
        return Opaque(type(x).__name__, "unhashable key")


def _revive_pandas(tree):
    import pandas as pd

    kind = tree[1]
    if kind == "index":
        _, _, values, dtype, name = tree
        return pd.Index(_with_dtype(revive(values), dtype), name=revive(name))
    if kind == "series":
        _, _, values, dtype, index, name = tree
        return pd.Series(_with_dtype(revive(values), dtype), index=revive(index), name=revive(name), copy=False)
    _, _, cols, data, dtypes, index = tree
    frame = pd.DataFrame({i: _with_dtype(revive(v), d) for i, (v, d) in enumerate(zip(data, dtypes))},
                         index=revive(index))
    frame.columns = pd.Index([revive(c) for c in cols]) if cols else frame.columns
    return frame


def _with_dtype(values, dtype):
    import pandas as pd

    try:
        return pd.array(values, dtype=dtype) if values.dtype == object or dtype in ("category",) else values
    except (TypeError, ValueError):
        return values
