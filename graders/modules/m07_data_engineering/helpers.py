"""Sandbox-side helpers of 07_data_engineering: probes, and the description of learner tables.

Only this file (and the ``sandbox_*`` files next to it) runs inside the sandbox; data generators,
oracles, mistake variants and judges stay in the grading process. A learner may answer a SQL
exercise with a DuckDB relation or a pandas, polars or pyarrow table: :func:`describe_table`
turns any of them into the same plain description (column names, rows of plain cells), so that the
judges compare values, never types. Cells are ``None`` (NULL, NaN, NaT, None and pd.NA alike),
bool, int, float, str, or ``("t", microseconds)`` for a date or a timestamp: a DATE and a
TIMESTAMP at midnight are the same calendar value.
"""
from __future__ import annotations

import datetime as _dt
import decimal
import time

from graders.engine.sandbox.probing import error_info

EPOCH = _dt.datetime(1970, 1, 1)
_US = _dt.timedelta(microseconds=1)
MAX_ROWS = 200_000
DUCK_TYPES = ("BIGINT", "TIMESTAMP", "DATE", "DOUBLE", "VARCHAR", "BOOLEAN")


# ------------------------------------------------------------------ cells and tables
def cell(v):
    """One value as plain data (see the module docstring)."""
    if v is None:
        return None
    t = type(v)
    if t is bool:
        return v
    if t is int:
        return v
    if t is float:
        return None if v != v else v          # noqa: PLR0124 - NaN is not equal to itself
    if t is str:
        return v
    mod = getattr(t, "__module__", "") or ""
    if mod.startswith("pandas"):
        import pandas as pd

        if v is pd.NaT or v is pd.NA:
            return None
        if isinstance(v, pd.Timestamp):
            if v.tzinfo is not None:
                v = v.tz_convert("UTC").tz_localize(None)
            return ("t", int(v.to_datetime64().astype("datetime64[us]").astype("int64")))
    if mod.startswith("numpy"):
        import numpy as np

        if isinstance(v, np.bool_):
            return bool(v)
        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, np.floating):
            f = float(v)
            return None if f != f else f      # noqa: PLR0124 - NaN is not equal to itself
        if isinstance(v, np.datetime64):
            return None if np.isnat(v) else ("t", int(v.astype("datetime64[us]").astype("int64")))
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, int):
        return int.__int__(v)
    if isinstance(v, float):
        f = float.__float__(v)
        return None if f != f else f      # noqa: PLR0124 - NaN is not equal to itself
    if isinstance(v, decimal.Decimal):
        return None if v.is_nan() else float(v)
    if isinstance(v, str):
        return str.__str__(v)
    if isinstance(v, _dt.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return ("t", (v - EPOCH) // _US)
    if isinstance(v, _dt.date):
        return ("t", (v - EPOCH.date()).days * 86_400_000_000)
    return ("?", f"{mod}.{t.__qualname__}" if mod and mod != "builtins" else t.__qualname__)


def _table(source, columns, column_values) -> dict:
    n = len(column_values[0]) if column_values else 0
    if n > MAX_ROWS:
        return {"kind": "other", "type": f"a table with {n} rows (too many to compare)"}
    rows = [[cell(col[i]) for col in column_values] for i in range(n)]
    return {"kind": "table", "source": source, "columns": [_text(c) for c in columns], "rows": rows}


def _text(c) -> str:
    return str.__str__(c) if isinstance(c, str) else str.__str__(str(c))


def describe_table(value) -> dict:
    """A plain description of a table returned by learner code (or by the oracle, the same way)."""
    t = type(value)
    mod = getattr(t, "__module__", "") or ""
    if mod.startswith("duckdb") and hasattr(value, "fetchall") and hasattr(value, "columns"):
        columns = list(value.columns)
        rows = value.fetchall()
        return _table("a DuckDB relation", columns, [[r[i] for r in rows] for i in range(len(columns))])
    if mod.startswith("pandas"):
        import pandas as pd

        if isinstance(value, pd.DataFrame):
            frame = value
            if any(name is not None for name in frame.index.names):       # a named index is a column
                frame = frame.reset_index()
            return _table("a pandas DataFrame", list(frame.columns),
                          [frame.iloc[:, i].tolist() for i in range(frame.shape[1])])
    if mod.startswith("polars"):
        import polars as pl

        if isinstance(value, pl.LazyFrame):
            value = value.collect()
        if isinstance(value, pl.DataFrame):
            return _table("a polars DataFrame", value.columns, [value.get_column(c).to_list() for c in value.columns])
    if mod.startswith("pyarrow"):
        import pyarrow as pa

        if isinstance(value, pa.RecordBatchReader):
            value = value.read_all()
        if isinstance(value, (pa.Table, pa.RecordBatch)):
            return _table("a pyarrow table", value.schema.names,
                          [value.column(i).to_pylist() for i in range(value.num_columns)])
    if mod.startswith("pyspark") and hasattr(value, "collect") and hasattr(value, "columns"):
        columns = list(value.columns)
        rows = [tuple(r) for r in value.collect()]
        return _table("a Spark DataFrame", columns, [[r[i] for r in rows] for i in range(len(columns))])
    return {"kind": "other", "type": f"{mod}.{t.__qualname__}" if mod and mod != "builtins" else t.__qualname__}


def observe_table(fn, args=(), kwargs=None) -> dict:
    """Call learner code and describe what it returned; errors raised while reading a lazy result
    (a DuckDB relation runs its SQL only then) count as the learner's, like errors in the call."""
    obs: dict = {}
    start = time.perf_counter()
    try:
        obs["value"] = describe_table(fn(*args, **(kwargs or {})))
    except BaseException as exc:  # noqa: BLE001 - SystemExit and friends cost only this case
        obs["error"] = error_info(exc)
    obs["seconds"] = time.perf_counter() - start
    return obs


# ------------------------------------------------------------------ stubs and resources
def is_stub(fn) -> bool:
    """Is this the notebook's untouched stub (a body that only raises NotImplementedError)?

    Probes that need a heavy resource (a big file, the Spark session) ask this first, so that an
    exercise nobody attempted yet costs nothing; the stub is then called once, to report it as usual.
    """
    code = getattr(fn, "__code__", None)
    return code is not None and set(code.co_names) == {"NotImplementedError"}


def wait_marker(path: str, timeout: float) -> dict:
    """The content of a marker file the grading process writes when a resource is ready."""
    import json

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path) as fh:
                return json.load(fh)
        except (OSError, ValueError):
            time.sleep(0.05)
    return {"error": f"not ready after {timeout:.0f} s"}


# ------------------------------------------------------------------ DuckDB inputs
def load_tables(con, tables) -> None:
    """Create and fill tables: ``tables`` is a list of (name, [(column, SQL type)], {column: values})."""
    import pyarrow as pa

    arrow_types = {"BIGINT": pa.int64(), "TIMESTAMP": pa.timestamp("us"), "DATE": pa.date32(),
                   "DOUBLE": pa.float64(), "VARCHAR": pa.string(), "BOOLEAN": pa.bool_()}
    for name, columns, data in tables:
        assert all(sql in DUCK_TYPES for _, sql in columns)
        con.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {sql}' for c, sql in columns)})")
        staged = pa.table({c: pa.array(data[c], type=arrow_types[sql]) for c, sql in columns})
        con.register("_mlkata_staged", staged)
        con.execute(f"INSERT INTO {name} SELECT * FROM _mlkata_staged")
        con.unregister("_mlkata_staged")


def connection_with(tables):
    import duckdb

    con = duckdb.connect()
    load_tables(con, tables)
    return con


def sql_each(ctx, target: str, cases):
    """Each case: (tables, args, kwargs, rerun). The learner's function gets a fresh in-memory DuckDB
    connection holding ``tables``; with ``rerun`` = (table name, its columns), the result is loaded as
    that table on a second connection (with the other tables) and the function is called again."""
    from .sandbox_forks import polars_threads_in_parent, probe_in_fresh_process

    if polars_threads_in_parent():
        return probe_in_fresh_process(ctx, sql_each, target, cases)
    fn = ctx.lookup(target)
    out = []
    for i, (tables, args, kwargs, rerun) in enumerate(cases):
        ctx.progress(i)
        con = connection_with(tables)
        obs = observe_table(fn, (con, *args), kwargs)
        if rerun and isinstance(obs.get("value"), dict) and obs["value"].get("kind") == "table":
            obs["rerun"] = _rerun(fn, tables, args, kwargs, rerun, obs["value"])
        try:
            con.close()
        except Exception:  # noqa: BLE001, S110 - the learner may have closed it already
            pass
        out.append(obs)
    return out


def _rerun(fn, tables, args, kwargs, rerun, first: dict) -> dict:
    """Load the first result as table ``rerun[0]`` (with the stated types) and call the function again."""
    name, columns = rerun
    if sorted(first["columns"]) != sorted(c for c, _ in columns):
        return {"skipped": "the first result does not have the right columns"}
    index = {c: first["columns"].index(c) for c, _ in columns}
    data = {}
    for c, sql in columns:
        values = [row[index[c]] for row in first["rows"]]
        data[c] = [_back(v, sql) for v in values]
    reloaded = [(n, cols, d) for n, cols, d in tables if n != name] + [(name, columns, data)]
    try:
        con = connection_with(reloaded)
    except Exception as exc:  # noqa: BLE001 - values that do not fit the table's types
        return {"skipped": f"the first result could not be loaded back as `{name}` ({type(exc).__name__})"}
    obs = observe_table(fn, (con, *args), kwargs)
    try:
        con.close()
    except Exception:  # noqa: BLE001, S110 - the learner may have closed it already
        pass
    return obs


def _back(v, sql):
    """A plain cell back to a Python value of the column's SQL type."""
    if v is None:
        return None
    if isinstance(v, (tuple, list)) and len(v) == 2 and v[0] == "t":
        stamp = EPOCH + _dt.timedelta(microseconds=v[1])
        return stamp.date() if sql == "DATE" else stamp
    if sql == "BOOLEAN":
        return bool(v)
    if sql == "BIGINT":
        return int(v)
    if sql == "DOUBLE":
        return float(v)
    return str(v)
