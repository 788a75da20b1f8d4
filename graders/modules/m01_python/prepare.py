"""prepare_data(df, cfg): the mlops-zoomcamp transform, as a pure function of its arguments.

Graded on seeded trip frames (whole-second durations that include exactly
``min_duration`` and ``max_duration``, multi-day and negative trips, NaN location ids, a
non-default index) with two different ``cfg``s, while ``open``, ``socket.socket`` and
``urllib.request.urlopen`` raise (``sandbox_config.io_blocked``). The reference runs here.
"""
from __future__ import annotations

import numpy as np

from graders.engine.compare import describe
from graders.engine.judges import error_failure, incorrect
from graders.engine.sandbox.plain import revive, to_plain
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .sandbox_config import prepare_probe

CFG_A = {"categorical": ["PULocationID", "DOLocationID"], "min_duration": 1, "max_duration": 60}
CFG_B = {"categorical": ["PULocationID", "VendorID"], "min_duration": 0.5, "max_duration": 45.25,
         "target": "duration"}


def prepare_ref(df, cfg, lo_open=False, seconds_only=False):
    """The keyword arguments build known wrong variants (exclusive bounds, ``.dt.seconds``)."""
    import pandas as pd

    out = df.copy()
    delta = out["dropoff_datetime"] - out["pickup_datetime"]
    out["duration"] = (delta.dt.seconds if seconds_only else delta.dt.total_seconds()) / 60
    lo, hi = cfg["min_duration"], cfg["max_duration"]
    keep = (out["duration"] > lo) & (out["duration"] < hi) if lo_open else out["duration"].between(lo, hi)
    out = out[keep].copy()
    for col in cfg["categorical"]:
        out[col] = pd.Series([("-1" if pd.isna(v) else str(int(v))) for v in out[col]], index=out.index,
                             dtype=object)
    return out


def trips(seed: int, n: int = 240, lo: float = 1, hi: float = 60):
    import pandas as pd

    rng = np.random.default_rng(seed)
    seconds = rng.integers(int(lo * 60), int(hi * 60) + 1, n)
    seconds[:12] = [int(lo * 60), int(hi * 60), int(lo * 60) - 1, int(hi * 60) + 1, 0, -300, 86_400 + 300,
                    3 * 86_400, 25, int(lo * 60), int(hi * 60), 7_200]
    rng.shuffle(seconds)
    pickup = pd.Timestamp("2023-03-01") + pd.to_timedelta(rng.integers(0, 30 * 86_400, n), unit="s")
    pu, do = rng.integers(1, 266, n).astype(float), rng.integers(1, 266, n).astype(float)
    pu[rng.random(n) < 0.1], do[rng.random(n) < 0.15] = np.nan, np.nan
    df = pd.DataFrame({
        "VendorID": rng.integers(1, 3, n),
        "pickup_datetime": pickup,
        "dropoff_datetime": pickup + pd.to_timedelta(seconds, unit="s"),
        "passenger_count": np.where(rng.random(n) < 0.05, np.nan, rng.integers(1, 5, n).astype(float)),
        "trip_distance": np.round(rng.gamma(2.0, 1.5, n), 2),
        "PULocationID": pu,
        "DOLocationID": do,
        "fare_amount": np.round(rng.gamma(3.0, 5.0, n), 2),
        "store_and_fwd_flag": rng.choice(np.array(["N", "Y", None], dtype=object), n, p=[0.9, 0.05, 0.05]),
    }, index=pd.Index(rng.permutation(n) + 5_000, name="trip"))
    return df


def _same_values(a, b) -> bool:
    import pandas as pd

    x, y = a.to_numpy(dtype=object), b.to_numpy(dtype=object)
    return len(x) == len(y) and all((u == v) or (pd.isna(u) and pd.isna(v)) for u, v in zip(x, y))


def _frame_unchanged(after, before) -> bool:
    import pandas as pd

    if not isinstance(after, pd.DataFrame) or list(after.columns) != list(before.columns):
        return False
    if [str(d) for d in after.dtypes] != [str(d) for d in before.dtypes] or not after.index.equals(before.index):
        return False
    return all(_same_values(after[c], before[c]) for c in before.columns)


def _categorical_problem(got, col: str, cfg) -> str | None:
    values = list(got)
    if not all(isinstance(v, str) for v in values):
        odd = next(v for v in values if not isinstance(v, str))
        if col not in CFG_A["categorical"] and col in cfg["categorical"]:
            return "global-categoricals"
        return f"column {col!r} must hold strings; it holds {describe(odd)}"
    if any(v.endswith(".0") for v in values):
        return "floats-as-12.0"
    if any(v.lower() in ("nan", "none", "-1.0", "<na>") for v in values):
        return "missing-not-minus-one"
    return f"column {col!r} does not hold the ids as strings (\"132\") with \"-1\" for missing"


# the categorical slips _categorical_problem names (Mistake objects: id and words, found by the mistake inventory)
MESSAGES = {m.id: m.message for m in (
    Mistake("global-categoricals", "the categorical columns must come from cfg['categorical']; yours are a fixed "
            "list"),
    Mistake("floats-as-12.0", "the ids are floats (NaN makes the column float), so `astype(str)` renders 132.0 as "
            "\"132.0\": fill the missing with -1, cast to int, then to str"),
    Mistake("missing-not-minus-one", "missing ids must become \"-1\" (fill before converting to strings)"),
)}


def _plain_copy(df):
    """``df`` as it looks after the trip through the sandbox's plain-data conversion (for a fair compare)."""
    return revive(to_plain(df))


def judge_output(cases, observations):
    return _judge(cases, observations, mutation=False)


def judge_output_and_input(cases, observations):
    return _judge(cases, observations, mutation=True)


def _judge(cases, observations, mutation):
    import pandas as pd

    for case, obs in zip(cases, observations):
        df, cfg = case.args
        if obs.get("io"):
            return incorrect(case, f"prepare_data called {obs['io'][0]}: it must be a pure transform of df and cfg "
                                   "(no files, no network).", "not-pure")
        if "error" in obs:
            return error_failure(case, obs["error"])
        got, want = obs["value"], prepare_ref(df, cfg)
        if not isinstance(got, pd.DataFrame):
            return incorrect(case, f"expected a DataFrame, got {describe(got)}.")
        if "duration" not in got.columns:
            return incorrect(case, "the result has no `duration` column.")
        if list(got.columns) != list(want.columns):
            if sorted(map(str, got.columns)) == sorted(map(str, want.columns)):
                return incorrect(case, "keep the input's columns in their order and append `duration` last.")
            return incorrect(case, "the result must have the input's columns, in order, plus `duration` last.")
        if not got.index.equals(want.index):
            if len(got) == len(want) and list(got.index) == list(range(len(want))):
                return incorrect(case, "you reset the index: keep the surviving rows' original index labels.",
                                 "index-reset")
            for kwargs, mid, text in ((dict(lo_open=True), "exclusive-bounds", "rows whose duration is exactly "
                                       "min_duration or max_duration were dropped: both bounds are inclusive (<=)"),
                                      (dict(seconds_only=True), "dt-seconds", "`.dt.seconds` drops whole days, so "
                                       "a trip of a day and 5 minutes counted as 5 minutes: use "
                                       "`.dt.total_seconds()`")):
                if got.index.equals(prepare_ref(df, cfg, **kwargs).index):
                    return incorrect(case, text + ".", mid)
            return incorrect(case, "the rows kept are not those with min_duration <= duration <= max_duration "
                                   "(minutes), in input order.")
        duration = got["duration"].to_numpy(dtype=float)
        if not np.allclose(duration, want["duration"].to_numpy(), rtol=1e-9, atol=1e-9):
            if np.allclose(duration, want["duration"].to_numpy() * 60, rtol=1e-9):
                return incorrect(case, "`duration` is in seconds; the contract wants minutes (/ 60).",
                                 "duration-seconds")
            return incorrect(case, "`duration` is not (dropoff - pickup) in minutes.")
        for col in want.columns:
            if col == "duration":
                continue
            if col in cfg["categorical"]:
                if list(got[col]) != list(want[col]):
                    problem = _categorical_problem(got[col], col, cfg)
                    if problem in MESSAGES:
                        return incorrect(case, MESSAGES[problem] + ".", problem)
                    return incorrect(case, problem + ".")
            elif not _same_values(got[col], want[col]):
                return incorrect(case, f"column {col!r} is not a categorical of this cfg and must keep its values.")
        if mutation and not _frame_unchanged(obs.get("df_after"), _plain_copy(df)):
            return incorrect(case, "you changed the caller's DataFrame (added a column or converted columns in "
                                   "place): work on a copy (`df = df.copy()`).", "mutates-input")
    return None


def _case(seed_name, cfg, label):
    df = trips(seed_for("01_python", "prepare_data", seed_name), lo=cfg["min_duration"], hi=cfg["max_duration"])
    return Case((df, cfg), {}, label)


def _check(title, points, cases, judge=judge_output):
    return Check(title, points, cases, judge, probe=prepare_probe, timeout=15.0,
                 probe_args=lambda target, cs: (target, [c.args for c in cs]))


LABEL_A = "trips with cfg = {categorical: [PULocationID, DOLocationID], min_duration: 1, max_duration: 60}"
LABEL_B = ("trips with cfg = {categorical: [PULocationID, VendorID], min_duration: 0.5, max_duration: 45.25, "
           "target: duration}")

prepare_data = Exercise(
    "prepare_data",
    skill="pure functions",
    cell_timeout=15.0,
    hints=(
        "A pure function depends only on its arguments and changes none of them: same input, same output, no "
        "files, no globals, no surprises for the caller who still holds df.",
        "Start with `df = df.copy()`. duration = (dropoff - pickup).dt.total_seconds() / 60; keep rows with "
        "`df.duration.between(cfg['min_duration'], cfg['max_duration'])` (inclusive); for the columns in "
        "cfg['categorical']: fillna(-1), astype(int), astype(str).",
        "`df = df[(df.duration >= lo) & (df.duration <= hi)].copy()`; "
        "`df[cat] = df[cat].fillna(-1).astype(int).astype(str)`; `return df`",
    ),
    checks=(
        _check("durations in minutes, rows with min <= duration <= max kept", 3,
               lambda: [_case("first", CFG_A, LABEL_A)]),
        _check("categoricals as strings, missing -> \"-1\"", 2, lambda: [_case("second", CFG_A, LABEL_A)]),
        _check("another cfg: its own categoricals and bounds", 3, lambda: [_case("third", CFG_B, LABEL_B)]),
        _check("leaves the caller's DataFrame unchanged (values, dtypes, columns)", 2,
               lambda: [_case("fourth", CFG_A, LABEL_A), _case("fifth", CFG_B, LABEL_B)], judge_output_and_input),
    ),
)
