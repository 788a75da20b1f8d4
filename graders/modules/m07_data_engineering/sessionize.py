"""sessionize(con, gap_minutes=30): session ids from a click log with LAG and a running SUM."""
from __future__ import annotations

from graders.engine.spec import Check, Exercise, seed_for

from . import helpers
from .data import shop
from .sql import SqlContract, SqlMistake, payload, probe_args, sql_case, sql_judge, values

MODULE = "07_data_engineering"


def _sql(gap, compare=">", lag_partition="PARTITION BY user_id", first="1", offset="",
         sum_partition="PARTITION BY user_id"):
    return f"""
        SELECT user_id, ts, event,
               SUM(CASE WHEN prev IS NULL THEN {first}
                        WHEN ts - prev {compare} INTERVAL {int(gap)} MINUTE THEN 1 ELSE 0 END)
                   OVER ({sum_partition} ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) {offset}
                   AS session_id
        FROM (SELECT *, LAG(ts) OVER ({lag_partition} ORDER BY ts) AS prev FROM events)"""


def _gap(case) -> int:
    return case.extra["gap"]


def reference(case) -> str:
    return _sql(_gap(case))


def _first_session_not_one(case, got, expected) -> bool:
    """Some user's earliest event has no session id, or one other than 1 (while later ones exist)."""
    firsts = {}
    for row in got.rows:
        user, ts = row[0], row[1]
        if user not in firsts or ts < firsts[user][0]:
            firsts[user] = (ts, row[3])
    ids = [sid for _, sid in firsts.values()]
    return any(sid[0] == 0 for sid in ids)


def _numbered_across_users(got) -> bool:
    """Every id is a number, but some user's first session is not 1 and no two users share an id."""
    ids: dict = {}
    for row in got.rows:
        if row[3][0] != 1:
            return False
        ids.setdefault(row[0], set()).add(row[3][1])
    firsts = [min(v) for v in ids.values()]
    return len(ids) > 1 and max(firsts) > 1 and all(not (a & b) for a, b in zip(ids.values(), list(ids.values())[1:]))


def _zero_based(case, got, expected) -> bool:
    ids = [v[1] for v in values(got, "session_id") if v[0] == 1]
    return bool(ids) and min(ids) == 0 and not any(v[0] == 0 for v in values(got, "session_id"))


MISTAKES = (
    SqlMistake("gap-inclusive", "a gap of exactly `gap_minutes` started a new session: a new session starts only "
               "when the gap is strictly greater (`ts - prev > INTERVAL ... MINUTE`, not `>=`).",
               sql=lambda c: _sql(_gap(c), compare=">=")),
    SqlMistake("lag-across-users", "sessions leak across users: your LAG looks at the previous event of *any* user. "
               "Compare each event with the same user's previous event: `LAG(ts) OVER (PARTITION BY user_id "
               "ORDER BY ts)`.", sql=lambda c: _sql(_gap(c), lag_partition="")),
    SqlMistake("numbering-across-users", "session ids run on across users: number sessions per user (the running "
               "SUM needs `PARTITION BY user_id` too, so every user's first session is 1).",
               detect=lambda c, got, exp: _numbered_across_users(got)),
    SqlMistake("null-first-event", "a user's first event has no previous event, so its LAG is NULL and your "
               "comparison with NULL is NULL, not true: the first event must open session 1 (`prev IS NULL OR "
               "ts - prev > ...`, or COALESCE the flag to 1).", detect=_first_session_not_one),
    SqlMistake("zero-based", "your session ids start at 0: number each user's sessions 1, 2, ... (if your first "
               "event's flag is 0 because LAG is NULL there, make it 1 instead of subtracting later).",
               detect=_zero_based),
    SqlMistake("gap-ignored", "your result is what the default 30-minute gap gives: use the `gap_minutes` "
               "argument in the query (an f-string or a `?` parameter), not a hard-coded 30.",
               sql=lambda c: _sql(30)),
)

CONTRACT = SqlContract(("user_id", "ts", "event", "session_id"), ("user_id", "ts", "event"), reference, MISTAKES,
                       noun="a table of events with their session_id")


def _events(name: str, gap: int, n_users: int):
    frame = shop.make_events(n_users=n_users, seed=seed_for(MODULE, "sessionize", name), gap_minutes=gap)
    return payload(events=frame), len(frame)


def _default_cases():
    out = []
    for name, users in (("a", 14), ("b", 9)):
        tables, n = _events(name, 30, users)
        out.append(sql_case(tables, f"a generated click log ({users} users, {n} events in shuffled order; gaps of "
                                    "29, 30 and 31 minutes, repeated timestamps) with the default gap",
                            gap=30))
    tables, n = _events("explicit", 30, 6)
    out.append(sql_case(tables, f"a generated click log ({n} events), gap_minutes=30 passed explicitly",
                        kwargs={"gap_minutes": 30}, gap=30))
    return out


def _gap_cases():
    out = []
    for name, gap, users in (("g45", 45, 10), ("g10", 10, 8)):
        tables, n = _events(name, gap, users)
        out.append(sql_case(tables, f"a generated click log ({n} events; gaps of {gap - 1}, {gap} and {gap + 1} "
                                    f"minutes), gap_minutes={gap}", args=(gap,), gap=gap))
    return out


sessionize = Exercise(
    "sessionize",
    skill="sql-windows",
    cell_timeout=20.0,
    hints=(
        ("A session starts at a user's first event and at every event that comes more than `gap_minutes` after "
        "the same user's previous event. Flag those starts with 1 (others 0); a running sum of the flags per "
        "user, in time order, is then the session number."),
        ("Two window functions: `LAG(ts) OVER (PARTITION BY user_id ORDER BY ts)` gives the previous event's "
        "time; `SUM(flag) OVER (PARTITION BY user_id ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT "
        "ROW)` numbers the sessions. A first event has prev NULL: treat it as a start."),
        ("`CASE WHEN prev IS NULL OR ts - prev > INTERVAL (gap) MINUTE THEN 1 ELSE 0 END` in a subquery with "
        "the LAG, then the running SUM over it AS session_id; select user_id, ts, event, session_id."),
    ),
    checks=(
        Check("sessions with the default 30-minute gap, on generated logs", 6, _default_cases, sql_judge(CONTRACT),
              probe=helpers.sql_each, probe_args=probe_args, timeout=30.0),
        Check("a non-default gap_minutes is used", 4, _gap_cases, sql_judge(CONTRACT), probe=helpers.sql_each,
              probe_args=probe_args, timeout=30.0),
    ),
)
