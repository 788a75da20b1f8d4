"""Comparing tables as multisets of rows, and saying how they differ without giving the answer away.

Descriptions come from ``helpers.describe_table`` (the learner's, in the sandbox; the oracle's, here).
Rows are compared after sorting (ORDER BY is never required), columns by name in any order. Numbers
compare by value within ``RTOL`` (BIGINT, HUGEINT, Int64 and float64 alike; a bool is 0 or 1), dates
and timestamps as calendar values, and every kind of missing value is the same NULL.
"""
from __future__ import annotations

import datetime as _dt
import math
from collections import Counter
from dataclasses import dataclass

from graders.engine.compare import describe as describe_plain
from graders.engine.judges import error_failure, incorrect

RTOL = 1e-9
ATOL = 1e-12


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]      # canonical cells, in column order


def canonical(v):
    """A cell as (rank, value): rank orders NULLs, numbers, times, text and the rest."""
    if v is None:
        return (0, 0)
    if isinstance(v, bool):
        return (1, float(v))
    if isinstance(v, (int, float)):
        return (1, float(v))
    if isinstance(v, str):
        return (3, v)
    if isinstance(v, (tuple, list)) and len(v) == 2 and v[0] == "t":
        return (2, int(v[1]))
    if isinstance(v, (tuple, list)) and len(v) == 2 and v[0] == "?":
        return (4, str(v[1]))
    return (4, type(v).__name__)


def table(desc: dict) -> Table:
    return Table(tuple(desc["columns"]), tuple(tuple(canonical(c) for c in row) for row in desc["rows"]))


def reorder(t: Table, columns) -> Table:
    index = [t.columns.index(c) for c in columns]
    return Table(tuple(columns), tuple(tuple(row[i] for i in index) for row in t.rows))


def _sort_key(row):
    return tuple((rank, float(f"{v:.10g}") if rank == 1 else v) for rank, v in row)


def _same_cell(a, b) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == 1:
        x, y = a[1], b[1]
        if math.isinf(x) or math.isinf(y):
            return x == y
        return abs(x - y) <= ATOL + RTOL * max(abs(x), abs(y))
    return a[1] == b[1]


def show(c) -> str:
    """A canonical cell in words (for keys taken from the input, never for expected values)."""
    rank, v = c
    if rank == 0:
        return "NULL"
    if rank == 1:
        return f"{int(v)}" if float(v).is_integer() else f"{v:g}"
    if rank == 2:
        stamp = _dt.datetime(1970, 1, 1) + _dt.timedelta(microseconds=v)
        return stamp.strftime("%Y-%m-%d") if stamp.time() == _dt.time() else stamp.strftime("%Y-%m-%d %H:%M")
    return repr(v) if rank == 3 else str(v)


def column_problem(desc: dict, wanted) -> str | None:
    """None when the description has exactly the wanted columns (any order), else what is wrong."""
    got = list(desc["columns"])
    wanted = list(wanted)
    if len(set(got)) != len(got):
        dupes = sorted({c for c in got if got.count(c) > 1})
        return f"your result has duplicate column names {dupes}"
    if set(got) == set(wanted):
        return None
    missing = [c for c in wanted if c not in got]
    extra = [c for c in got if c not in wanted]
    lowered = {c.lower(): c for c in got}
    if all(c.lower() in lowered for c in wanted) and len(got) == len(wanted):
        return (f"your column names differ in case from the required ones {wanted}: name them exactly "
                "(`AS session_id`, ...)")
    parts = []
    if missing:
        parts.append(f"missing column(s) {missing}")
    if extra:
        parts.append(f"extra column(s) {extra} (return exactly {wanted}: drop helper columns such as a LAG "
                     "or a row number)")
    return "your result has " + " and ".join(parts)


def result_table(case, obs: dict, wanted, noun: str = "a table"):
    """(Table in the wanted column order, None) or (None, Failure)."""
    if "error" in obs:
        return None, error_failure(case, obs["error"])
    desc = obs.get("value")
    if not isinstance(desc, dict) or desc.get("kind") != "table":
        what = desc.get("type") if isinstance(desc, dict) else describe_plain(desc)
        if what in ("NoneType", None):
            what = "None (did you forget to `return` the result?)"
        return None, incorrect(case, f"expected {noun} (a DuckDB relation, or a pandas, polars or pyarrow table), "
                                     f"got {what}.")
    problem = column_problem(desc, wanted)
    if problem:
        return None, incorrect(case, problem + ".", "wrong-columns")
    return reorder(table(desc), wanted), None


def same(got: Table, expected: Table) -> bool:
    if len(got.rows) != len(expected.rows):
        return False
    a, b = sorted(got.rows, key=_sort_key), sorted(expected.rows, key=_sort_key)
    return all(all(_same_cell(x, y) for x, y in zip(r, s)) for r, s in zip(a, b))


def difference(got: Table, expected: Table, keys, example: bool = True) -> str:
    """Learner-facing words for how ``got`` differs from ``expected`` (same columns, in order).

    Rows are matched on the ``keys`` columns. With ``example`` the key of one offending row is named
    (use it only where keys are input rows: an event, a label, a sale), never a value it should hold.
    """
    k = [expected.columns.index(c) for c in keys]

    def key_of(row):
        return tuple((row[i][0], float(f"{row[i][1]:.10g}") if row[i][0] == 1 else row[i][1]) for i in k)

    got_keys, exp_keys = Counter(map(key_of, got.rows)), Counter(map(key_of, expected.rows))

    def name(key) -> str:
        return ", ".join(f"{c}={show(v)}" for c, v in zip(keys, key))

    dupes = [key for key, n in got_keys.items() if n > 1 and n > exp_keys.get(key, 0)]
    if dupes:
        tail = f" (for example {name(dupes[0])})" if example else ""
        return (f"your result holds {len(dupes)} {'/'.join(keys)} value(s) more often than it should{tail}: "
                "rows are duplicated")
    missing = [key for key in exp_keys if key not in got_keys]
    extra = [key for key in got_keys if key not in exp_keys]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"{len(missing)} row(s) that should be there are missing"
                         + (f" (for example {name(missing[0])})" if example else ""))
        if extra:
            parts.append(f"{len(extra)} row(s) should not be there"
                         + (f" (for example {name(extra[0])})" if example else ""))
        return "; ".join(parts)
    by_key = {}
    for row in expected.rows:
        by_key.setdefault(key_of(row), []).append(row)
    wrong_cols: Counter = Counter()
    first = None
    for row in got.rows:
        candidates = by_key.get(key_of(row), [])
        if any(all(_same_cell(x, y) for x, y in zip(row, cand)) for cand in candidates):
            continue
        if candidates:
            cols = [expected.columns[i] for i in range(len(row))
                    if not any(_same_cell(row[i], cand[i]) for cand in candidates)]
            wrong_cols.update(cols)
            first = first or key_of(row)
    if not wrong_cols:
        return "the rows differ from the expected ones"
    cols = ", ".join(f"`{c}`" for c, _ in wrong_cols.most_common())
    n = sum(1 for row in got.rows if not any(all(_same_cell(x, y) for x, y in zip(row, cand))
                                              for cand in by_key.get(key_of(row), [])))
    tail = f" (for example the row with {name(first)})" if example and first else ""
    return f"{n} of {len(got.rows)} rows have a wrong value in {cols}{tail}"
