"""rolling_7d(con): each store's sales over the 7 calendar days ending on each sales day."""
from __future__ import annotations

from graders.engine.spec import Check, Exercise, seed_for

from . import helpers
from .data import shop
from .sql import SqlContract, SqlMistake, payload, probe_args, sql_case, sql_judge

MODULE = "07_data_engineering"


def _sql(frame: str, partition: str = "PARTITION BY store_id") -> str:
    return f"SELECT store_id, day, amount, SUM(amount) OVER ({partition} ORDER BY day {frame}) AS sum_7d FROM sales"


REFERENCE = _sql("RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND CURRENT ROW")

MISTAKES = (
    SqlMistake("rows-not-days", "your window counts 7 *rows*, not 7 days: with missing days, `ROWS BETWEEN 6 "
               "PRECEDING` reaches back further than a week. Use a RANGE over the date: `RANGE BETWEEN INTERVAL "
               "6 DAYS PRECEDING AND CURRENT ROW`.", sql=lambda c: _sql("ROWS BETWEEN 6 PRECEDING AND CURRENT ROW")),
    SqlMistake("eight-days", "your window spans 8 days: `INTERVAL 7 DAYS PRECEDING` plus the current day is one "
               "too many. The 7 days [day − 6, day] are `INTERVAL 6 DAYS PRECEDING AND CURRENT ROW`.",
               sql=lambda c: _sql("RANGE BETWEEN INTERVAL 7 DAYS PRECEDING AND CURRENT ROW")),
    SqlMistake("no-partition", "sales of other stores were added in: the window needs `PARTITION BY store_id`.",
               sql=lambda c: _sql("RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND CURRENT ROW", partition="")),
    SqlMistake("six-days", "your window spans only 6 days: [day − 6, day] is 7 calendar days including the "
               "current one (`INTERVAL 6 DAYS PRECEDING AND CURRENT ROW`).",
               sql=lambda c: _sql("RANGE BETWEEN INTERVAL 5 DAYS PRECEDING AND CURRENT ROW")),
)

CONTRACT = SqlContract(("store_id", "day", "amount", "sum_7d"), ("store_id", "day"), lambda c: REFERENCE, MISTAKES,
                       noun="a table of sales rows with their sum_7d")


def _cases():
    out = []
    for name, stores, days in (("a", 5, 70), ("b", 3, 45)):
        frame = shop.make_sales(n_stores=stores, n_days=days, seed=seed_for(MODULE, "rolling_7d", name))
        out.append(sql_case(payload(sales=frame), f"generated daily sales ({len(frame)} rows, {stores} stores over "
                                                  f"{days} days, missing days and closures longer than a week)"))
    return out


rolling_7d = Exercise(
    "rolling_7d",
    skill="sql-windows",
    cell_timeout=20.0,
    hints=(
        ("The window is defined by *time*, not by a number of rows: for the row of day d, add the same store's "
        "amounts of every day from d − 6 to d that has a row."),
        ("A window frame can be a RANGE over an ordered date column: `OVER (PARTITION BY store_id ORDER BY day "
        "RANGE BETWEEN INTERVAL ... PRECEDING AND CURRENT ROW)`."),
        ("`SUM(amount) OVER (PARTITION BY store_id ORDER BY day RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND "
        "CURRENT ROW) AS sum_7d`, with store_id, day, amount."),
    ),
    checks=(
        Check("7 calendar days per store, missing days included", 8, _cases, sql_judge(CONTRACT),
              probe=helpers.sql_each, probe_args=probe_args, timeout=30.0),
    ),
)
