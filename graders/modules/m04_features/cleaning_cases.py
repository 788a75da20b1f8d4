"""The inputs of clean_listings: fresh messy tables with their truth, and the notebook's example."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from graders.engine.domains import Column, Domain, Frames
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, seed_for

from .data import CITY_NAMES, COLUMNS, DATE_FORMATS, ROOM_TYPES, make_listings
from .frames import expected_numbers

# the fresh tables and their truth, kept per seed between grades (engine/kept_values.py, under a digest of the
# generator's own folder, datasets/): making them cost a cold grade 0.6 s before its first check
LISTINGS = kept_oracle(make_listings, "04_features-listings", ("pandas",))


def _case(n, seed, dup_rate, label, raw=None, truth=None):
    if raw is None:
        raw, truth = LISTINGS(n, seed=seed, dup_rate=dup_rate, truth=True)
    latest = truth.sort_values("scraped_at", kind="stable").drop_duplicates("listing_id", keep="last")
    keep = latest.index
    secs = {rule: dict(zip(frame["listing_id"].tolist(), expected_numbers(frame["scraped_at"]).tolist()))
            for rule, frame in (("latest", latest),
                                ("first_in_file", truth.drop_duplicates("listing_id", keep="first")),
                                ("last_in_file", truth.drop_duplicates("listing_id", keep="last")),
                                ("earliest", truth.sort_values("scraped_at").drop_duplicates("listing_id")))}
    dup_ids = sorted(set(truth.loc[truth["listing_id"].duplicated(), "listing_id"].tolist()))
    extra = {"expected": latest.reset_index(drop=True), "raw_latest": raw.loc[keep].reset_index(drop=True),
             "dup_ids": dup_ids, "variants": secs}
    return Case((raw,), {}, label, extra=extra)


def fresh(check: str, n: int, dup_rate: float, count: int = 2):
    def make():
        out = []
        for k in range(count):
            seed = seed_for("04_features", "clean_listings", check, str(k))
            out.append(_case(n, seed, dup_rate, f"a fresh messy table of {n} listings (seed {k + 1})"))
        return out
    return make


def example_raw() -> pd.DataFrame:
    """The frame of the notebook's public check (the notebook builds the same one)."""
    return pd.DataFrame({
        "listing_id": [101, 102, 101, 103],
        "scraped_at": ["2024-08-01 10:00:00", "2024-08-02 09:30:00", "2024-08-20 18:45:00", "2024-08-03 12:00:00"],
        "listed_on": ["2021-03-05", "05/03/2021", "Mar 05, 2021", None],
        "city": [" lisboa", "BCN", "Lisbon ", None],
        "room_type": ["Entire home/apt", "Private room", "Entire home/apt", "Shared room"],
        "price": ["$1,234", "95", "$1,180.00", None],
        "bedrooms": ["2", "studio", "2", None],
        "bathrooms": [1.0, 1.0, 1.0, 1.5], "size_sqm": [70.0, np.nan, 70.0, 20.0], "n_reviews": [10, 0, 12, 3],
        "review_score": [4.5, np.nan, 4.6, 3.9], "minimum_nights": [2, 1, 2, 30],
        "instant_bookable": ["t", "f", "f", "t"], "n_bookings_30d": [2, 0, 2, 1], "booked_30d": [1, 0, 1, 1],
    })


def example_cases():
    raw = example_raw()
    truth = raw.copy()
    truth["scraped_at"] = pd.to_datetime(raw["scraped_at"])
    truth["listed_on"] = pd.to_datetime(pd.Series(["2021-03-05", "2021-03-05", "2021-03-05", None]))
    truth["city"] = ["Lisbon", "Barcelona", "Lisbon", None]
    truth["price"] = [1234.0, 95.0, 1180.0, np.nan]
    truth["bedrooms"] = [2.0, 0.0, 2.0, np.nan]
    truth["instant_bookable"] = [True, False, False, True]
    return [_case(0, 0, 0, "the notebook's example (4 rows, listing 101 scraped twice)", raw, truth)]


# ------------------------------------------------------------------ generated cases (engine/domains.py)
# every raw spelling datasets/README.md documents, each with its clean value: this table is the battery's truth
_DAYS = ("2021-03-05", "2019-12-25", "2024-01-31")        # day <= 12 (a day/month swap shows), day > 12
_PRICE_FORMATS = ("${:,.0f}", "{:.0f}", "${:,.2f}", "{:,.2f}", " $ {:,.0f}")     # the five that _render writes
_CITY_SPELLINGS = {pad.format(case(spelling)): city for city, others in CITY_NAMES.items()
                   for spelling in (city, *others) for case in (str, str.lower, str.upper, str.title)
                   for pad in ("{}", " {}", "  {}", "{} ")}
RAW_VALUES = {
    "scraped_at": {s: pd.Timestamp(s) for s in ("2024-08-01 10:00:00", "2024-08-01 09:30:00", "2024-08-20 18:45:00",
                                                "2024-07-15 23:59:59", "2024-09-03 00:00:00")},
    "listed_on": {pd.Timestamp(d).strftime(f): pd.Timestamp(d) for d in _DAYS for f in DATE_FORMATS},
    "city": _CITY_SPELLINGS,
    "room_type": {r: r for r in ROOM_TYPES},
    "price": {f.format(p): p for p in (1.0, 95.0, 1234.0, 123400.0) for f in _PRICE_FORMATS},
    "bedrooms": {**dict.fromkeys(("studio", "Studio", "STUDIO"), 0.0), "1": 1.0, "2": 2.0, "5": 5.0},
    "instant_bookable": {"t": True, "f": False},
}
_OTHERS = {"listing_id": Column("int64", ints=(101, 104)), "bathrooms": Column(low=1.0, high=3.0),
           "size_sqm": Column(low=12.0, high=200.0, missing=True), "n_reviews": Column("int64", ints=(0, 40)),
           "review_score": Column(low=1.0, high=5.0, missing=True), "minimum_nights": Column("int64", ints=(1, 1000)),
           "n_bookings_30d": Column("int64", ints=(0, 5)), "booked_30d": Column("int64", ints=(0, 1))}
_TEXT = {name: Column("str", values=tuple(table), missing=name in ("listed_on", "city", "price", "bedrooms"))
         for name, table in RAW_VALUES.items()}


def as_judged(case: Case) -> Case:
    """A drawn case with what the judges read in a fresh one's ``extra``: its truth, row for row, from the table."""
    raw = case.args[0]
    truth = raw.copy()
    for name, table in RAW_VALUES.items():
        truth[name] = raw[name].map(table)
    return dataclasses.replace(case, extra=_case(0, 0, 0.0, case.label, raw, truth).extra)


def _one_scrape_per_time(args, kwargs):
    """Two scrapes of a listing at the same time would leave "the latest" undefined."""
    return not args[0].duplicated(["listing_id", "scraped_at"]).any()


# the contract's inputs: 1 to 6 scrapes of up to 4 listings (ids unsorted, often repeated, an unsorted integer index),
# every raw spelling of each text column, missing values (a column entirely missing too) where the data has them
LISTINGS_DOMAIN = Domain(args=(Frames({name: {**_OTHERS, **_TEXT}[name] for name in COLUMNS}, rows="n", index="ids"),),
                         names=("df",), dim_sizes={"n": (1, 6)}, where=_one_scrape_per_time, examples=6)
