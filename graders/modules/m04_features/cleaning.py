"""clean_listings: typed, canonical, one row per listing (its latest scrape), input untouched.

The oracle is the generator's own truth (``make_listings(..., truth=True)``), not a second parser:
fresh seeds per check, so hard-coding the shipped table cannot pass.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from graders.engine.judges import error_failure
from graders.engine.search import generated
from graders.engine.spec import Check, Exercise, Failure, seed_for

from .cleaning_cases import LISTINGS_DOMAIN, as_judged, example_cases, fresh
from .frames import column, expected_numbers, expected_text, frame_or_failure, incorrect, numbers, same_numbers
from .helpers import frames_each

NUMERIC = ("price", "bedrooms", "bathrooms", "size_sqm", "n_reviews", "review_score", "minimum_nights",
           "n_bookings_30d", "booked_30d")
DATETIME = ("scraped_at", "listed_on")
TEXT = ("city", "room_type")
HOW = {
    "price": "strip '$', ',' and spaces, then convert to float",
    "bedrooms": "'studio' (any case) means 0 bedrooms; the rest are whole numbers",
    "listed_on": "parse each of the three documented formats explicitly (format=...) and combine them",
    "scraped_at": "parse it with pd.to_datetime(..., format='%Y-%m-%d %H:%M:%S')",
    "instant_bookable": "'t' is True and 'f' is False",
}


def _many(count: int, one: str, many: str) -> str:
    """"1 city is", "3 cities are"."""
    return f"{count} {one if count == 1 else many}"


def _day_month_swapped(got: float, exp: float) -> bool:
    if np.isnan(got) or np.isnan(exp):
        return False
    e = pd.Timestamp(exp, unit="s")
    try:
        return e.day <= 12 and e.day != e.month and pd.Timestamp(got, unit="s") == e.replace(month=e.day, day=e.month)
    except ValueError:
        return False


def _listing_ids(desc):
    """The listing_id column, or the index when the learner made listing_id the index."""
    ids = numbers(column(desc, "listing_id"))
    if ids is None and desc.get("index_name") == "listing_id":
        try:
            ids = np.asarray(desc["index"], dtype=float)
        except (TypeError, ValueError):
            ids = None
    return ids


def _aligned(case, desc):
    """Row positions of the learner's frame in the order of the expected rows, or a Failure."""
    expected = case.extra["expected"]
    ids = _listing_ids(desc)
    if ids is None:
        return None, incorrect(case, "your result has no numeric `listing_id` column to match rows by.")
    if np.isnan(ids).any():
        return None, incorrect(case, "your `listing_id` column has missing values.")
    if len(set(ids.tolist())) < len(ids):
        return None, incorrect(case, f"your result holds {len(ids) - len(set(ids.tolist()))} duplicate rows: keep "
                                     "one row per listing_id (its latest scrape).", "not-deduplicated")
    where = {int(v): i for i, v in enumerate(ids)}
    want = expected["listing_id"].tolist()
    missing = [i for i in want if i not in where]
    if missing or len(where) != len(want):
        return None, incorrect(case, f"your result has {len(where)} listings, the input {len(want)} distinct "
                                     "listing_ids: keep exactly one row per listing_id, and do not drop other rows.")
    return np.array([where[i] for i in want]), None


def _compare_column(case, desc, name, order) -> Failure | None:
    expected = case.extra["expected"]
    raw = case.extra["raw_latest"]
    data = column(desc, name)
    if data is None:
        return incorrect(case, f"your result has no `{name}` column: keep every column of the input.")
    if name in TEXT:
        if data["kind"] != "text":
            return incorrect(case, f"column `{name}` should hold text, but it holds {data['kind']} values.")
        got = [data["values"][i] for i in order]
        exp = expected_text(expected[name])
        bad = [k for k, (g, e) in enumerate(zip(got, exp)) if g != e]
        if not bad:
            return None
        k = bad[0]
        example = f"the raw value {raw[name].iloc[k]!r} became {got[k]!r}"
        if name == "city":
            if any(isinstance(got[j], str) and got[j] != got[j].strip() for j in bad):
                return incorrect(case, f"{_many(len(bad), 'city is', 'cities are')} wrong ({example}): strip "
                                       "surrounding spaces before looking a spelling up.", "city-not-stripped")
            if any(exp[j] is None for j in bad):
                return incorrect(case, f"{_many(len(bad), 'city is', 'cities are')} wrong ({example}): a missing "
                                       "city stays missing (NaN); do not invent a value for it.", "city-missing-filled")
            are = "is" if len(bad) == 1 else "are"
            return incorrect(case, f"{len(bad)} of {len(exp)} cities {are} not the canonical name ({example}): strip, "
                                   "case-fold, then map every spelling through CITY_ALIASES (aliases such as 'BCN' "
                                   "and 'Lisboa' included).", "city-not-canonical")
        return incorrect(case, f"{_many(len(bad), 'value', 'values')} of `{name}` changed ({example}); leave it "
                               "as it is.")
    got_all = numbers(data)
    if got_all is None:
        kind = "text" if data["kind"] == "text" else f"{data['kind']} values"
        hint = f": {HOW[name]}" if name in HOW else ""
        return incorrect(case, f"column `{name}` still holds {kind}{hint}.", "not-parsed")
    if name in DATETIME and data["kind"] not in ("datetime", "date-objects"):
        return incorrect(case, f"column `{name}` should hold datetimes, not {data['kind']} values: {HOW[name]}.")
    if name in DATETIME and data.get("tz"):
        return incorrect(case, f"column `{name}` is time-zone aware ({data['tz']}); keep the naive local times.")
    got = got_all[order]
    exp = expected_numbers(expected[name])
    ok = same_numbers(got, exp)
    if ok.all():
        return None
    bad = np.flatnonzero(~ok)
    k = int(bad[0])
    shown = (str(pd.Timestamp(got[k], unit="s")) if name in DATETIME and not np.isnan(got[k])
             else repr(float(got[k])))
    example = f"the raw value {raw[name].iloc[k]!r} became {shown}" if name in raw else f"row {k}"
    if name == "listed_on" and any(_day_month_swapped(got[j], exp[j]) for j in bad):
        return incorrect(case, f"{_many(len(bad), 'date is', 'dates are')} wrong with day and month swapped "
                               f"({example}). '05/03/2021' is 5 March (day first) while '2021-03-05' is "
                               "year-month-day: a guessing parser (format='mixed', with or without dayfirst=True) "
                               "gets one of them wrong. Parse each documented format explicitly and combine.",
                         "day-month-swapped")
    if name == "bedrooms" and any(exp[j] == 0 and np.isnan(got[j]) for j in bad):
        return incorrect(case, f"'studio' became a missing value ({example}): a studio has 0 bedrooms.",
                         "studio-as-nan")
    hint = f": {HOW[name]}" if name in HOW else "; leave this column's values as they are"
    are = "is" if len(bad) == 1 else "are"
    return incorrect(case, f"{len(bad)} of {len(exp)} values of `{name}` {are} wrong ({example}){hint}.")


def _judge_columns(names, latest_first=False):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            desc, failure = frame_or_failure(case, obs)
            if failure:
                return failure
            order, failure = _aligned(case, desc)
            if failure:
                return failure
            if latest_first:       # a wrong scrape kept would otherwise show up as wrong values
                failure = _latest_failure(case, desc)
                if failure:
                    return failure
            for name in names:
                failure = _compare_column(case, desc, name, order)
                if failure:
                    return failure
        return None
    return judge


def _kept_times(case, desc):
    data = column(desc, "scraped_at")
    ids = _listing_ids(desc)
    if data is None or ids is None:
        return None
    if data["kind"] == "text":
        times = pd.to_datetime(pd.Series(data["values"], dtype=object), format="%Y-%m-%d %H:%M:%S", errors="coerce")
        values = expected_numbers(times)
    else:
        values = numbers(data)
    return None if values is None else dict(zip(ids.astype(np.int64).tolist(), values.tolist()))


def _judge_latest(cases, observations):
    for case, obs in zip(cases, observations):
        desc, failure = frame_or_failure(case, obs)
        if failure:
            return failure
        _, failure = _aligned(case, desc)
        failure = failure or _latest_failure(case, desc)
        if failure:
            return failure
    return None


def _latest_failure(case, desc) -> Failure | None:
    kept = _kept_times(case, desc)
    if kept is None:
        return incorrect(case, "your `scraped_at` column cannot be read as timestamps.")
    dup_ids = case.extra["dup_ids"]
    variants = case.extra["variants"]

    def matches(rule):
        return all(kept[i] == variants[rule][i] for i in dup_ids)

    if matches("latest"):
        return None
    if matches("first_in_file"):
        return incorrect(case, "you kept the first row of each listing_id in file order; keep its latest scrape "
                               "(sort by scraped_at, then drop_duplicates(keep='last')).", "keep-first")
    if matches("last_in_file"):
        return incorrect(case, "you kept the last row of each listing_id in file order, but the file is not in "
                               "time order: sort by scraped_at first.", "keep-last-in-file-order")
    if matches("earliest"):
        return incorrect(case, "you kept the earliest scrape of each listing; keep the latest one.", "earliest")
    wrong = sum(kept[i] != variants["latest"][i] for i in dup_ids)
    return incorrect(case, f"for {wrong} of the {len(dup_ids)} listings scraped more than once you did not keep "
                           "the latest scrape (the largest scraped_at).")


def _judge_dtypes(cases, observations):
    for case, obs in zip(cases, observations):
        desc, failure = frame_or_failure(case, obs)
        if failure:
            return failure
        extra = [c for c in desc["columns"] if c not in case.extra["expected"].columns]
        if extra:
            return incorrect(case, f"your result has columns the input does not have: {extra}; return the input's "
                                   "columns only.")
        missing = [c for c in case.extra["expected"].columns
                   if c not in desc["columns"] and c != desc.get("index_name")]    # listing_id as the index is fine
        if missing:     # an empty frame has no object columns either
            return incorrect(case, f"your result lacks the columns {missing}: keep every column of the input, "
                                   "each with a real dtype.")
        objects = [c for c, d in zip(desc["columns"], desc["dtypes"]) if d == "object"]
        if objects:
            return incorrect(case, f"columns {objects} still have the generic object dtype: give each a real dtype "
                                   "(float, int, bool, datetime64, or str/category for text).", "object-dtype")
        for name, dtype in zip(desc["columns"], desc["dtypes"]):
            if name in DATETIME and not dtype.startswith("datetime64"):
                return incorrect(case, f"column `{name}` has dtype {dtype}; it should be datetime64.", "not-parsed")
            if name in NUMERIC + ("listing_id",) and not dtype.lower().startswith(("int", "uint", "float")):
                return incorrect(case, f"column `{name}` has dtype {dtype}; it should be numeric.", "not-parsed")
    return None


def _judge_untouched(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        if obs.get("mutated"):
            return incorrect(case, "your function modified the DataFrame it was given: work on `df.copy()` and "
                                   "return the copy.", "mutates-input")
    return None


_judge_everything = _judge_columns(("price", "bedrooms", "listed_on", "scraped_at", "instant_bookable", "city",
                                    "room_type", *NUMERIC[2:]), latest_first=True)


def _judge_drawn(cases, observations):
    """A drawn table judged like a fresh one (its truth from the spelling table), every column and dtype at once."""
    cases = [as_judged(c) for c in cases]
    return _judge_everything(cases, observations) or _judge_dtypes(cases, observations)


clean_listings = Exercise(
    "clean_listings",
    skill="data-cleaning",
    hints=(
        "Clean in the order that keeps each step simple: copy, parse every text column into its real type, "
        "canonicalise the cities, and only then de-duplicate (you need scraped_at as a datetime to find the "
        "latest scrape).",
        "Prices: remove '$', ',' and spaces, then pd.to_numeric. Dates: one pd.to_datetime(..., format=f, "
        "errors='coerce') per documented format, combined with fillna. Cities: "
        "s.str.strip().str.casefold().map(CITY_ALIASES). Bedrooms: 'studio' -> 0.",
        "`out = df.copy(); ...; out = out.sort_values('scraped_at').drop_duplicates('listing_id', keep='last')`",
    ),
    checks=(
        Check("the example in the notebook", 1, example_cases,
              _judge_columns(("price", "bedrooms", "listed_on", "city", "instant_bookable"), latest_first=True),
              probe=frames_each),
        Check("prices, bedrooms, dates and flags parsed into numbers, datetimes and booleans", 2,
              fresh("parse", 250, 0.0),
              _judge_columns(("price", "bedrooms", "listed_on", "scraped_at", "instant_bookable", "bathrooms",
                              "size_sqm", "n_reviews", "review_score", "minimum_nights", "n_bookings_30d",
                              "booked_30d", "room_type")), probe=frames_each),
        Check("canonical city names (spellings, case, spaces, aliases)", 2, fresh("city", 250, 0.0),
              _judge_columns(("city",)), probe=frames_each),
        Check("one row per listing: its latest scrape", 2, fresh("dedup", 200, 0.3), _judge_latest,
              probe=frames_each),
        Check("no object dtypes left: every column has a real dtype", 1, fresh("dtypes", 120, 0.1, 1), _judge_dtypes,
              probe=frames_each),
        Check("leaves the input DataFrame untouched", 1, fresh("untouched", 120, 0.1, 1), _judge_untouched,
              probe=frames_each, gated=True),
        generated(LISTINGS_DOMAIN, _judge_drawn, 1, seed_for("04_features", "clean_listings", "domain"),
                  probe=frames_each, shrink_choices=2000),     # drawing a scrape's frames: ~25 ms
    ),
)
