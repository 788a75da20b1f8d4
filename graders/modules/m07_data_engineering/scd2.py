"""scd2_merge(con, load_date): a type-2 slowly changing dimension merged with today's snapshot."""
from __future__ import annotations

from collections import Counter

from graders.engine.judges import incorrect
from graders.engine.spec import Check, Exercise, seed_for

from . import helpers
from .data import SCHEMAS, shop
from .sql import REFERENCE_ROWS, SqlContract, SqlMistake, kept_reference, payload, probe_args, sql_case, sql_judge
from .tables import difference, result_table, same

MODULE = "07_data_engineering"
COLUMNS = ("customer_id", "city", "valid_from", "valid_to", "is_current")


def _merge(load, changed_test="s.city IS DISTINCT FROM c.city", new=True, closes=True) -> str:
    day = f"DATE '{load.isoformat()}'"
    fresh = (f"UNION ALL SELECT customer_id, city, {day}, NULL::DATE, true FROM snapshot "
             "WHERE customer_id NOT IN (SELECT customer_id FROM dim)") if new else ""
    if not closes:     # type 1: overwrite the current row's city in place
        return f"""
            WITH cur AS (SELECT customer_id, city FROM dim WHERE is_current),
            changed AS (SELECT s.customer_id, s.city FROM snapshot s JOIN cur c USING (customer_id) WHERE {changed_test})
            SELECT d.customer_id, CASE WHEN d.is_current AND ch.customer_id IS NOT NULL THEN ch.city ELSE d.city END,
                   d.valid_from, d.valid_to, d.is_current
            FROM dim d LEFT JOIN changed ch USING (customer_id) {fresh}"""
    return f"""
        WITH cur AS (SELECT customer_id, city FROM dim WHERE is_current),
        changed AS (SELECT s.customer_id, s.city FROM snapshot s JOIN cur c USING (customer_id) WHERE {changed_test})
        SELECT d.customer_id, d.city, d.valid_from,
               CASE WHEN d.is_current AND d.customer_id IN (SELECT customer_id FROM changed) THEN {day}
                    ELSE d.valid_to END AS valid_to,
               CASE WHEN d.is_current AND d.customer_id IN (SELECT customer_id FROM changed) THEN false
                    ELSE d.is_current END AS is_current
        FROM dim d
        UNION ALL SELECT customer_id, city, {day}, NULL::DATE, true FROM changed
        {fresh}"""


def reference(case) -> str:
    return _merge(case.extra["load_date"])


def _current_counts(t) -> Counter:
    i, j = t.columns.index("customer_id"), t.columns.index("is_current")
    return Counter(row[i] for row in t.rows if row[j] == (1, 1.0))


def _duplicate_current(case, got, expected) -> bool:
    return any(n > 1 for n in _current_counts(got).values())


def _history_dropped(case, got, expected) -> bool:
    """Some row of the old dimension (customer, valid_from) is not in the result any more."""
    dim = next(d for name, _, d in case.extra["tables"] if name == "dim")
    old = Counter(zip(dim["customer_id"], [v.isoformat() for v in dim["valid_from"]]))
    i, j = got.columns.index("customer_id"), got.columns.index("valid_from")
    import datetime as _dt

    mine = Counter((int(row[i][1]), (_dt.datetime(1970, 1, 1) + _dt.timedelta(microseconds=row[j][1])).date()
                    .isoformat()) for row in got.rows if row[i][0] == 1 and row[j][0] == 2)
    return any(mine[k] < n for k, n in old.items())


MISTAKES = (
    SqlMistake("neq-misses-null", "a change from or to a NULL city was missed: `city <> new_city` is NULL, not "
               "true, when either side is NULL. Compare with `IS DISTINCT FROM` (NULL to NULL is no change).",
               sql=lambda c: _merge(c.extra["load_date"], changed_test="s.city <> c.city")),
    SqlMistake("new-customers-forgotten", "customers that are in the snapshot but not yet in the dimension are "
               "missing: insert them as current rows (valid_from = load_date, valid_to NULL).",
               sql=lambda c: _merge(c.extra["load_date"], new=False)),
    SqlMistake("type-1-overwrite", "you overwrote the current row's city in place (a type-1 update) and lost its "
               "history: close the old row (valid_to = load_date, is_current = false) and open a new current "
               "row with the new city.", sql=lambda c: _merge(c.extra["load_date"], closes=False)),
    SqlMistake("unchanged-closed", "customers whose city did not change were closed and reopened: only a real "
               "change (`IS DISTINCT FROM` the current city) opens a new version.",
               sql=lambda c: _merge(c.extra["load_date"], changed_test="true")),
    SqlMistake("duplicate-current-rows", "a customer ends up with more than one current row: close the old "
               "current row when you open a new one, and open one only for a real change.",
               detect=_duplicate_current),
    SqlMistake("history-dropped", "rows of the old dimension are missing from your result: a type-2 dimension "
               "keeps its history; return every old row (closed where needed) plus the new rows.",
               detect=_history_dropped),
)

CONTRACT = SqlContract(COLUMNS, ("customer_id", "valid_from"), reference, MISTAKES, example=False,
                       noun="the whole new dimension")


def _cases(rerun: bool):
    def make():
        out = []
        for name, n in (("a", 30), ("b", 16)):
            dim, snapshot, load_date = shop.make_customers(n_customers=n, seed=seed_for(MODULE, "scd2_merge", name))
            again = ("dim", list(SCHEMAS["dim"].items())) if rerun else None
            out.append(sql_case(payload(dim=dim, snapshot=snapshot),
                                f"a generated dimension ({len(dim)} rows, {n} customers) and snapshot "
                                f"({len(snapshot)} rows: changes, NULL cities, new and absent customers), "
                                f"load_date={load_date.isoformat()}", args=(load_date,), rerun=again,
                                load_date=load_date))
        return out
    return make


RERUN = "running the merge a second time with the same snapshot and load_date changed the dimension"


def _judge_rerun(cases, observations):
    """The first result must be right (else no points here), and merging it again must change nothing."""
    for case, obs in zip(cases, observations):
        first, failure = result_table(case, obs, COLUMNS, CONTRACT.noun)
        if failure:
            return failure
        expected = REFERENCE_ROWS(case.extra["tables"], reference(case))
        if not same(first, expected):
            return incorrect(case, "the first merge is not right yet (see the check above), so running it again "
                                   "cannot be judged: fix the merge first.")
        second_obs = obs.get("rerun") or {}
        if "skipped" in second_obs:
            return incorrect(case, f"{second_obs['skipped']}.")
        second, failure = result_table(case, second_obs, COLUMNS, CONTRACT.noun)
        if failure:
            return failure
        if same(second, first):
            continue
        if _duplicate_current(case, second, first):
            return incorrect(case, f"{RERUN}: some customers now have two current rows. A customer whose current "
                                   "row already has the snapshot's city has not changed; decide what changed by "
                                   "comparing the snapshot with the *current* rows only, not with rows closed "
                                   "on load_date.", "duplicate-current-on-rerun")
        return incorrect(case, f"{RERUN} ({difference(second, first, CONTRACT.keys, example=False)}).")
    return None


kept_reference(_judge_rerun, reference)


scd2_merge = Exercise(
    "scd2_merge",
    skill="sql-modelling",
    cell_timeout=20.0,
    hints=(
        ("Three kinds of snapshot rows: a known customer whose city IS DISTINCT FROM its current row's "
        "(close the old row, open a new one), a known customer with the same city (nothing happens), an "
        "unknown customer (open a first row). Every old row stays in the result."),
        ("Build `changed` (snapshot joined to the current rows with `IS DISTINCT FROM`) and `new` (snapshot "
        "ids not in dim) as CTEs; the result is the old rows with the changed current ones closed, UNION ALL "
        "the opened rows for changed and new customers."),
        ("`SELECT customer_id, city, valid_from, CASE WHEN is_current AND customer_id IN (SELECT customer_id "
        "FROM changed) THEN load_date ELSE valid_to END, ... FROM dim UNION ALL SELECT customer_id, city, "
        "load_date, NULL, true FROM changed UNION ALL ... FROM new`."),
    ),
    checks=(
        Check("changes closed and reopened, new customers inserted, history kept", 8, _cases(False),
              sql_judge(CONTRACT), probe=helpers.sql_each, probe_args=probe_args,
              timeout=30.0),
        Check("running it again with the same snapshot changes nothing", 4, _cases(True), _judge_rerun,
              probe=helpers.sql_each, probe_args=probe_args, timeout=30.0),
    ),
)
