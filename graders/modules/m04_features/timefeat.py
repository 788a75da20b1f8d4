"""time_features: hour, day of week, weekend flag and a 24-hour cyclical encoding of the hour."""
from __future__ import annotations

import numpy as np
import pandas as pd

from graders.engine.domains import Column, Domain, Frames
from graders.engine.kept_values import kept_oracle
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, seed_for

from .frames import column, frame_or_failure, incorrect, numbers, same_numbers
from .helpers import frames_each

FEATURES = ("hour", "dayofweek", "is_weekend", "hour_sin", "hour_cos")


def time_ref(ts, *, period=24.0, weekend=(5, 6), hours="local", dow_offset=0, fractional=False):
    s = ts.dt.tz_convert("UTC") if hours == "utc" and ts.dt.tz is not None else ts
    hour = s.dt.hour.astype("float64")
    dow = s.dt.day_of_week.astype("float64")
    angle_hour = hour + s.dt.minute.astype("float64") / 60 if fractional else hour
    return pd.DataFrame({
        "hour": hour, "dayofweek": dow + dow_offset,
        "is_weekend": dow.isin(weekend).astype("float64").where(dow.notna()),
        "hour_sin": np.sin(2 * np.pi * angle_hour / period), "hour_cos": np.cos(2 * np.pi * angle_hour / period),
    }, index=ts.index)


# the contract's features, kept per case between grades (engine/kept_values.py); the variants are not
TIME = kept_oracle(time_ref, "04_features-time-features", ("pandas",))

VARIANTS = {
    "hour_sin": (("period-23", "your hour_sin uses a period of 23 (hours run 0..23, but the cycle has 24 of them: "
                  "23:00 and 00:00 must be neighbours); divide by 24.", dict(period=23.0)),
                 ("fractional-hour", "you used hour + minute/60; the contract encodes the integer hour.",
                  dict(fractional=True)),
                 ("utc-hours", "your hours are UTC: for tz-aware timestamps use the local wall-clock hour "
                  "(ts.dt.hour, without converting).", dict(hours="utc"))),
    "dayofweek": (("isoweekday", "your dayofweek runs 1..7; pandas' convention is Monday=0 .. Sunday=6.",
                   dict(dow_offset=1)),
                  ("utc-hours", "your days are UTC: for tz-aware timestamps use the local wall-clock day.",
                   dict(hours="utc"))),
    "is_weekend": (("weekend-off-by-one", "your weekend is off by one day: with Monday=0, the weekend is "
                    "dayofweek 5 (Saturday) and 6 (Sunday).", dict(weekend=(4, 5))),
                   ("weekend-off-by-one", "your weekend is off by one day: with Monday=0, the weekend is "
                    "dayofweek 5 (Saturday) and 6 (Sunday), not 0 and 6.", dict(weekend=(0, 6))),
                   ("weekend-off-by-one", "your weekend misses Saturday: with Monday=0 the weekend is "
                    "dayofweek >= 5.", dict(weekend=(6,)))),
}
VARIANTS["hour_cos"] = VARIANTS["hour_sin"]
VARIANTS["hour"] = VARIANTS["hour_sin"][2:]


def _judge(names):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            desc, failure = frame_or_failure(case, obs)
            if failure:
                return failure
            ts = case.args[0]
            missing = [f for f in FEATURES if f not in desc["columns"]]
            if missing:
                return incorrect(case, f"your DataFrame lacks the columns {missing}.", "missing-columns")
            if desc["n_rows"] != len(ts):
                return incorrect(case, f"expected one row per timestamp ({len(ts)}), got {desc['n_rows']}.")
            if "index" in names and desc["index"] != ts.index.tolist():
                return incorrect(case, "your result is not on the input's index: build it with index=ts.index.",
                                 "index-lost")
            expected = TIME(ts)
            for name in (n for n in FEATURES if n in names):
                got = numbers(column(desc, name))
                if got is None:
                    return incorrect(case, f"column `{name}` should be numeric.")
                exp = expected[name].to_numpy(float)
                ok = same_numbers(got, exp)
                if ok.all():
                    continue
                nat = np.isnan(exp)
                if nat.any() and not np.isnan(got[nat]).all():
                    return incorrect(case, f"`{name}` is not NaN for missing timestamps (NaT): keep them missing "
                                           "(pandas' .dt accessors give NaN; do not fill).", "nat-filled")
                for mistake, message, options in VARIANTS.get(name, ()):
                    alt = time_ref(ts, **options)[name].to_numpy(float)
                    if same_numbers(got, alt).all() and not same_numbers(alt, exp).all():
                        return incorrect(case, message, mistake)
                if name in ("hour_sin", "hour_cos") and same_numbers(got, np.sin(expected["hour"].to_numpy(float))
                                                                     if name == "hour_sin" else
                                                                     np.cos(expected["hour"].to_numpy(float))).all():
                    return incorrect(case, f"`{name}` takes the sine/cosine of the hour itself; the angle is "
                                           "2*pi*hour/24.", "no-2pi")
                return incorrect(case, f"`{name}` is wrong in {int((~ok).sum())} of {len(ok)} rows.")
        return None
    judge.expect = TIME       # what the module's warm_up keeps for each case
    return judge


def _stamps(rng, n, tz=None, nat=0):
    start = pd.Timestamp("2024-03-20")
    offsets = rng.integers(0, 21 * 24 * 60, size=n)          # three weeks, every hour and day, DST change included
    ts = pd.Series(start + pd.to_timedelta(offsets, unit="min"))
    if tz:
        ts = ts.dt.tz_localize("UTC").dt.tz_convert(tz)
    if nat:
        ts.iloc[rng.choice(n, size=nat, replace=False)] = pd.NaT
    ts.index = pd.Index(rng.choice(10 ** 5, size=n, replace=False), name="event")
    return ts


def _cases(check, specs):
    def make():
        rng = np.random.default_rng(seed_for("04_features", "time_features", check))
        return [Case((_stamps(rng, n, tz, nat),), {}, label) for n, tz, nat, label in specs]
    return make


def example_series():
    """The notebook's example (the notebook builds the same Series)."""
    return pd.Series(pd.to_datetime(["2024-06-01 00:30", "2024-06-03 12:00", "2024-06-07 23:59", None]),
                     index=[10, 11, 12, 13])


# the contract's inputs: a datetime Series of 1..12 rows (one row, all NaT included), naive or tz-aware (a DST
# zone, a half-hour offset), over three weeks at minute resolution, on an index of unsorted event ids
DOMAIN = Domain(args=(Frames({"ts": Column("datetime64[ns]", ints=(0, 21 * 24 * 60), missing=True, start="2024-03-20",
                                           tz=(None, "Europe/Lisbon", "Asia/Kolkata", "America/New_York"))},
                             rows="n", index="ids", series=True),),
                names=("ts",), dim_sizes={"n": (1, 12)}, examples=10)


def _check(title, points, cases, names):
    return Check(title, points, cases, _judge(names), probe=frames_each)


time_features = Exercise(
    "time_features",
    skill="feature-engineering",
    hints=(
        "Hours are circular: 23:00 is one hour from 00:00, not 23. Mapping the hour onto a circle (sine and cosine "
        "of 2*pi*hour/24) gives a model that closeness; the weekend flag and day of week capture weekly rhythms.",
        "Use the .dt accessor: ts.dt.hour, ts.dt.day_of_week (Monday=0; the older .dt.dayofweek is deprecated in "
        "pandas 3). Keep ts.index; let NaT propagate as NaN.",
        "`h = ts.dt.hour; d = ts.dt.day_of_week; pd.DataFrame({'hour': h, 'dayofweek': d, 'is_weekend': "
        "(d >= 5).astype(float).where(d.notna()), 'hour_sin': np.sin(2*np.pi*h/24), ...}, index=ts.index)`",
    ),
    checks=(
        _check("the example in the notebook", 1,
               [Case((example_series(),), {}, "the notebook's example (Saturday 00:30, Monday 12:00, Friday 23:59, "
                                               "NaT)")], FEATURES),
        _check("hour, dayofweek (Monday=0) and is_weekend (Saturday, Sunday)", 2,
               _cases("calendar", [(300, None, 0, "300 naive timestamps over three weeks")]),
               ("hour", "dayofweek", "is_weekend")),
        _check("hour_sin, hour_cos: the integer hour on a 24-hour circle", 3,
               _cases("cyclic", [(200, None, 0, "200 naive timestamps at every minute of the day")]),
               ("hour_sin", "hour_cos")),
        _check("tz-aware timestamps use the local wall-clock time", 2,
               _cases("tz", [(150, "Europe/Lisbon", 0, "150 timestamps in Europe/Lisbon (a DST change included)"),
                             (150, "Asia/Kolkata", 0, "150 timestamps in Asia/Kolkata (UTC+05:30)")]), FEATURES),
        _check("keeps the input's index; NaT gives NaN", 1,
               _cases("nat", [(80, None, 9, "80 timestamps, 9 of them NaT, indexed by event ids")]),
               FEATURES + ("index",)),
        generated(DOMAIN, _judge(FEATURES + ("index",)), 1, seed_for("04_features", "time_features", "domain"),
                  probe=frames_each),
    ),
)
