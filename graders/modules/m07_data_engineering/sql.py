"""The SQL exercises' shared machinery (grading process): hidden tables, the DuckDB oracle, the judge.

A case carries its tables as plain columns with the stated SQL types; the sandbox loads them into a
fresh in-memory DuckDB connection and calls the learner's function (``helpers.sql_each``). Here the
same tables go into a DuckDB connection of the grading process, where the reference query and each
mistake's query run: the oracle is DuckDB itself. A mistake is named when the learner's rows equal the
rows of its query (and that query's rows differ from the reference's) or when its detector says so.
The reference query's rows are kept per case between grading runs (engine/kept_values.py): loading the
cases' tables into DuckDB and running the references was 0.8 s of every cold grade's CPU.
"""
from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from graders.engine.judges import incorrect
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Mistake

from . import helpers
from .data import SCHEMAS
from .tables import Table, difference, result_table, same, table


def payload(**frames) -> list:
    """Tables as (name, [(column, SQL type)], {column: Python values}) for ``helpers.load_tables``."""
    out = []
    for name, frame in frames.items():
        columns = list(SCHEMAS[name].items())
        out.append((name, columns, {c: [_py(v, sql) for v in frame[c].tolist()] for c, sql in columns}))
    return out


def _py(v, sql):
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if sql == "TIMESTAMP":
        return pd.Timestamp(v).to_pydatetime()
    if sql == "DATE":
        return pd.Timestamp(v).date() if not isinstance(v, _dt.date) or isinstance(v, _dt.datetime) else v
    if sql == "BIGINT":
        return int(v)
    if sql == "DOUBLE":
        return float(v)
    if sql == "BOOLEAN":
        return bool(v)
    return str(v)


def sql_case(tables: list, label: str, args: tuple = (), kwargs: dict | None = None, rerun=None,
             **extra) -> Case:
    return Case((tables, tuple(args), dict(kwargs or {}), rerun), {}, label, extra={"tables": tables, **extra})


def probe_args(target, cases):
    return (target, [c.args for c in cases])


_ORACLE: dict = {}


def run_sql(tables: list, sql: str) -> Table:
    """Rows of ``sql`` on these tables, computed by DuckDB in the grading process (cached)."""
    key = (id(tables), sql)
    if key not in _ORACLE:
        con = helpers.connection_with(tables)
        try:
            _ORACLE[key] = (table(helpers.describe_table(con.sql(sql))), tables)   # keep tables alive: id()
        finally:
            con.close()
    return _ORACLE[key][0]


# a case's reference query's rows, kept (the cases' tables are seeded data); a mistake's query is not kept
REFERENCE_ROWS = kept_oracle(run_sql, "07_data_engineering-sql-reference", ("duckdb",))
# the judges that compare with a reference query, and how each calls REFERENCE_ROWS on a case (07's warm_up)
KEPT: dict = {}


def kept_reference(judge, reference: Callable[[Case], str]) -> None:
    """Register ``judge`` as comparing with ``REFERENCE_ROWS(case.extra["tables"], reference(case))``."""
    KEPT[judge] = (REFERENCE_ROWS, lambda case: (case.extra["tables"], reference(case)))


@dataclass(frozen=True, eq=False)
class SqlMistake(Mistake):
    """A known slip of a SQL exercise: ``sql`` is the wrong query (run on the case's tables), or ``detect``
    is called as ``detect(case, learner rows, expected rows)`` (tables, not the engine's observations)."""

    sql: Callable[[Case], str] | None = None
    on_rerun: bool = False                             # judged on the second call of an idempotency case


@dataclass(frozen=True, eq=False)
class SqlContract:
    columns: tuple[str, ...]
    keys: tuple[str, ...]                               # columns that identify a row, for the feedback
    reference: Callable[[Case], str]
    mistakes: tuple[SqlMistake, ...] = ()
    example: bool = True                                # may the feedback name an offending row's key?
    noun: str = "a table"
    notes: dict = field(default_factory=dict)


def name_mistake(contract: SqlContract, case: Case, got: Table, expected: Table, rerun: bool = False):
    for m in contract.mistakes:
        if m.on_rerun != rerun:
            continue
        try:
            if m.detect is not None and m.detect(case, got, expected):
                return incorrect(case, m.message, m.id)
            if m.sql is not None:
                wrong = run_sql(case.extra["tables"], m.sql(case))
                if same(got, wrong) and not same(wrong, expected):
                    return incorrect(case, m.message, m.id)
        except Exception:  # noqa: BLE001, S112 - a mistake that cannot be evaluated on this case does not match
            continue
    return None


def sql_judge(contract: SqlContract):
    """Every case must return the reference query's rows (as a multiset, exact columns)."""

    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            got, failure = result_table(case, obs, contract.columns, contract.noun)
            if failure:
                return failure
            expected = REFERENCE_ROWS(case.extra["tables"], contract.reference(case))
            if same(got, expected):
                continue
            return name_mistake(contract, case, got, expected) or incorrect(
                case, difference(got, expected, contract.keys, contract.example) + ".")
        return None

    kept_reference(judge, contract.reference)
    return judge


def rows_where(t: Table, column: str, predicate) -> list:
    i = t.columns.index(column)
    return [row for row in t.rows if predicate(row[i])]


def values(t: Table, column: str) -> list:
    i = t.columns.index(column)
    return [row[i] for row in t.rows]


def minutes(n: int) -> int:
    """Microseconds in n minutes (canonical times are microseconds)."""
    return int(n) * 60_000_000


def seeds(*parts) -> np.random.Generator:
    from graders.engine.spec import seed_for

    return np.random.default_rng(seed_for("07_data_engineering", *parts))
