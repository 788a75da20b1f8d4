"""dedupe_latest(con): one row per id, the latest version, ties broken by the latest ingestion."""
from __future__ import annotations

from collections import Counter

from graders.engine.spec import Check, Exercise, seed_for

from . import helpers
from .data import shop
from .sql import SqlContract, SqlMistake, payload, probe_args, sql_case, sql_judge, values

MODULE = "07_data_engineering"


def _ranked(order: str) -> str:
    return f"SELECT id, updated_at, ingested_at, payload FROM updates QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY {order}) = 1"


REFERENCE = _ranked("updated_at DESC, ingested_at DESC")


def _tie_break_wrong(case, got, expected) -> bool:
    """One row per id and the latest updated_at everywhere, but not always the latest ingestion among ties."""
    ids = values(got, "id")
    if len(ids) != len(set(ids)) or Counter(ids) != Counter(values(expected, "id")):
        return False
    want = {r[0]: r[1] for r in expected.rows}
    return all(r[1] == want.get(r[0]) for r in got.rows)


MISTAKES = (
    SqlMistake("max-join-duplicates", "an id whose latest `updated_at` is shared by two versions came back twice: "
               "joining back to `MAX(updated_at)` keeps every tied row. Rank the versions instead, `QUALIFY "
               "ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC, ingested_at DESC) = 1`.",
               sql=lambda c: """SELECT u.* FROM updates u JOIN (SELECT id, max(updated_at) AS m FROM updates
                                GROUP BY id) x ON u.id = x.id AND u.updated_at = x.m"""),
    SqlMistake("keeps-first", "you kept each id's *first* version: order by `updated_at DESC` to keep the latest.",
               sql=lambda c: _ranked("updated_at ASC, ingested_at ASC")),
    SqlMistake("tie-break-reversed", "among versions with the same `updated_at` you kept the one ingested "
               "first: the tie-break is the greatest `ingested_at` (`ORDER BY updated_at DESC, ingested_at "
               "DESC`).", sql=lambda c: _ranked("updated_at DESC, ingested_at ASC")),
    SqlMistake("no-tie-break", "among versions with the same latest `updated_at` you did not always keep the one "
               "ingested last: without a tie-break the database picks any of them. Add `ingested_at DESC` to "
               "the ORDER BY.", detect=_tie_break_wrong),
)

CONTRACT = SqlContract(("id", "updated_at", "ingested_at", "payload"), ("id",), lambda c: REFERENCE, MISTAKES,
                       noun="a table with one row per id")


def _cases():
    out = []
    for name, n in (("a", 40), ("b", 25), ("c", 12)):
        frame = shop.make_updates(n_ids=n, seed=seed_for(MODULE, "dedupe_latest", name))
        out.append(sql_case(payload(updates=frame), f"a generated change log ({len(frame)} rows for {n} ids, "
                                                    "frequent ties on updated_at, late re-deliveries)"))
    return out


dedupe_latest = Exercise(
    "dedupe_latest",
    skill="sql-windows",
    cell_timeout=20.0,
    hints=(
        ("Think of each id's versions as a ranked list: the best version has the greatest updated_at, and "
        "between versions updated at the same time, the one ingested last wins. Keep rank 1 only."),
        ("`ROW_NUMBER() OVER (PARTITION BY id ORDER BY ...)` numbers each id's versions 1, 2, ... without ties; "
        "DuckDB's QUALIFY filters on a window function directly."),
        ("`SELECT id, updated_at, ingested_at, payload FROM updates QUALIFY ROW_NUMBER() OVER (PARTITION BY id "
        "ORDER BY updated_at DESC, ingested_at DESC) = 1`."),
    ),
    checks=(
        Check("one row per id: latest updated_at, ties broken by the latest ingested_at", 8, _cases,
              sql_judge(CONTRACT), probe=helpers.sql_each, probe_args=probe_args, timeout=30.0),
    ),
)
