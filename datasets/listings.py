"""The messy short-term-rental listings table of module 04_features: a seeded generator and a loader.

``load_listings()`` returns the shipped copy (``listings.csv``, made by ``make_listings(seed=0)``).
``make_listings(n_listings, seed)`` makes a fresh table of the same kind: the grader calls it with
other seeds, so an answer that hard-codes the shipped rows cannot pass. Every kind of mess is
documented in ``README.md`` next to this file. Regenerate the CSV with ``python -m datasets.listings``.

The generator first draws the *truth* (one clean row per scrape), then renders each value the way a
scraper that nobody maintains would: inconsistent city spellings and aliases, ``"$1,234"`` prices,
three date formats, ``"studio"`` for zero bedrooms, several scrapes of the same listing, outliers,
missing values that are not missing at random, and one column that leaks the target.
``make_listings(..., truth=True)`` also returns the clean truth, row for row.
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

CSV_PATH = Path(__file__).with_name("listings.csv")

CITY_NAMES = {           # canonical name -> the other spellings the scraper produces
    "Lisbon": ("Lisboa", "LIS"),
    "Porto": ("Oporto", "OPO"),
    "Madrid": ("MAD",),
    "Barcelona": ("BCN", "Barna"),
    "Berlin": ("BER",),
    "Paris": ("PAR",),
}
# every spelling, stripped and case-folded -> its canonical name
CITY_ALIASES = {spelling.casefold(): city for city, others in CITY_NAMES.items() for spelling in (city, *others)}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%b %d, %Y")     # "2021-03-05", "05/03/2021" (day first), "Mar 05, 2021"
SCRAPED_FORMAT = "%Y-%m-%d %H:%M:%S"
ROOM_TYPES = ("Entire home/apt", "Private room", "Shared room", "Hotel room")

# raw column -> dtype when read from the CSV (text stays text: cleaning is the learner's job)
RAW_DTYPES = {
    "listing_id": "int64", "scraped_at": "str", "listed_on": "str", "city": "str", "room_type": "str",
    "price": "str", "bedrooms": "str", "bathrooms": "float64", "size_sqm": "float64", "n_reviews": "int64",
    "review_score": "float64", "minimum_nights": "int64", "instant_bookable": "str",
    "n_bookings_30d": "int64", "booked_30d": "int64",
}
COLUMNS = tuple(RAW_DTYPES)

_CITY_P = np.array([0.22, 0.14, 0.18, 0.2, 0.14, 0.12])
_CITY_BASE = np.array([95.0, 75.0, 90.0, 110.0, 85.0, 140.0])    # typical nightly price of a 1-bedroom
_ROOM_P = np.array([0.6, 0.3, 0.06, 0.04])
_ROOM_FACTOR = np.array([1.0, 0.55, 0.35, 1.2])
_START = np.datetime64("2015-01-01")
_SCRAPE_START = np.datetime64("2024-07-01T00:00:00")


def _truth(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """One clean row per listing (its latest scrape)."""
    ids = rng.choice(np.arange(100_000, 1_000_000), size=n, replace=False)
    city = rng.choice(len(CITY_NAMES), size=n, p=_CITY_P)
    room = rng.choice(len(ROOM_TYPES), size=n, p=_ROOM_P)
    entire = room == 0
    bedrooms = np.where(entire, rng.choice(6, size=n, p=[0.16, 0.38, 0.26, 0.12, 0.06, 0.02]),
                        rng.choice([0, 1], size=n, p=[0.1, 0.9]))
    bathrooms = np.where(bedrooms >= 3, 1.0 + 0.5 * rng.integers(1, 4, size=n), 1.0 + 0.5 * rng.integers(0, 2, size=n))
    size = np.round(np.maximum(12.0, 22 + 19 * bedrooms + rng.normal(0, 8, size=n)) * np.where(entire, 1.0, 0.6), 1)
    price = (_CITY_BASE[city] * _ROOM_FACTOR[room] * (1 + 0.35 * np.maximum(bedrooms, 0.5) - 0.35 * 0.5)
             * rng.lognormal(0, 0.25, size=n))
    price = np.round(price)
    span = int((np.datetime64("2024-06-30") - _START).astype(int))
    listed_days = span - 1 - rng.exponential(900, size=n).astype(int) % span           # recent ones are many
    listed = _START + listed_days.astype("timedelta64[D]")
    age_months = (np.datetime64("2024-07-01") - listed).astype(int) / 30.4
    n_reviews = rng.poisson(np.minimum(age_months, 60) * rng.uniform(0.05, 0.9, size=n))
    score = np.where(n_reviews > 0, np.round(np.clip(rng.normal(4.6, 0.3, size=n), 1.0, 5.0), 2), np.nan)
    min_nights = rng.choice([1, 2, 3, 5, 7, 30], size=n, p=[0.35, 0.25, 0.2, 0.08, 0.07, 0.05])
    instant = rng.random(n) < 0.4
    # booked within 30 days: cheaper than the city's norm, well reviewed, instantly bookable
    rel_price = np.log(price / (_CITY_BASE[city] * _ROOM_FACTOR[room] * (1 + 0.35 * np.maximum(bedrooms, 0.5) - 0.175)))
    logit = (-0.2 - 2.2 * rel_price + 1.1 * np.nan_to_num(score - 4.5) + 0.8 * instant
             + np.array([0.0, -0.3, -0.8, 0.4])[room] - 0.9 * (n_reviews == 0))
    booked = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    n_bookings = np.where(booked == 1, 1 + rng.poisson(2.0, size=n), 0)          # the planted leak

    # outliers: placeholder and typo prices, typo sizes, absurd minimum stays
    u = rng.random(n)
    price = np.where(u < 0.006, 1.0, np.where(u > 0.994, price * 100, price))
    size = np.where(rng.random(n) < 0.01, size * 10, size)
    min_nights = np.where(rng.random(n) < 0.01, rng.choice([365, 1000], size=n), min_nights)
    # missing values that are not at random: hosts of small, cheap places skip the size; prices vanish
    # more often on hotel rooms; the city is missing on a few rows
    size = np.where(rng.random(n) < np.where(bedrooms <= 1, 0.25, 0.05), np.nan, size)
    price = np.where(rng.random(n) < np.where(room == 3, 0.2, 0.02), np.nan, price)
    city_name = np.array(list(CITY_NAMES), dtype=object)[city]
    city_name = np.where(rng.random(n) < 0.03, None, city_name)
    listed = np.where(rng.random(n) < 0.03, np.datetime64("NaT"), listed).astype("datetime64[s]")
    bedrooms = np.where(rng.random(n) < 0.02, np.nan, bedrooms.astype(float))

    scraped = _SCRAPE_START + rng.integers(45 * 86400, 92 * 86400, size=n).astype("timedelta64[s]")
    return pd.DataFrame({
        "listing_id": ids.astype(np.int64), "scraped_at": scraped, "listed_on": listed, "city": city_name,
        "room_type": np.array(ROOM_TYPES, dtype=object)[room], "price": price, "bedrooms": bedrooms,
        "bathrooms": bathrooms, "size_sqm": size, "n_reviews": n_reviews.astype(np.int64), "review_score": score,
        "minimum_nights": min_nights.astype(np.int64), "instant_bookable": instant,
        "n_bookings_30d": n_bookings.astype(np.int64), "booked_30d": booked,
    })


def _older_scrapes(latest: pd.DataFrame, rng: np.random.Generator, dup_rate: float) -> pd.DataFrame:
    """Earlier scrapes of some listings: other price, fewer reviews, an earlier timestamp."""
    picked = latest[rng.random(len(latest)) < dup_rate]
    copies = [picked]
    copies += [picked[rng.random(len(picked)) < 0.35]]                  # some listings were scraped 3 times
    older = []
    for k, part in enumerate(copies, start=1):
        part = part.copy()
        part["scraped_at"] = part["scraped_at"] - (rng.integers(2 * 86400, 40 * 86400, size=len(part)) * k
                                                   ).astype("timedelta64[s]")
        part["price"] = np.round(part["price"] * rng.uniform(0.85, 1.15, size=len(part)))
        fewer = part["n_reviews"] - rng.integers(0, 4, size=len(part)) * k
        part["n_reviews"] = np.where(part["n_reviews"] > 0, np.maximum(1, fewer), 0)   # no reviews <=> no score
        part["instant_bookable"] = np.where(rng.random(len(part)) < 0.2, ~part["instant_bookable"],
                                            part["instant_bookable"])
        older.append(part)
    return pd.concat(older, ignore_index=True)


def _order_rows(truth: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Shuffle the rows, then make sure file order says nothing about recency: for half of the listings
    scraped more than once the latest scrape comes first in the file, for the other half it comes last."""
    truth = truth.iloc[rng.permutation(len(truth))].reset_index(drop=True)
    order = np.arange(len(truth))
    groups = [g for _, g in truth.groupby("listing_id", sort=True) if len(g) > 1]
    for i, g in enumerate(groups):
        positions = np.sort(g.index.to_numpy())
        by_time = g.sort_values("scraped_at").index.to_numpy()        # oldest ... latest
        wanted = by_time[::-1] if i % 2 == 0 else by_time              # latest first, or latest last
        if len(wanted) > 2 and i % 4 == 1:
            wanted = np.r_[wanted[1], wanted[2], wanted[0]]            # latest in the middle
        order[positions] = wanted
    return truth.iloc[order].reset_index(drop=True)


def _case(rng, text: str) -> str:
    k = rng.integers(0, 5)
    return (text, text.lower(), text.upper(), text.title(), text)[k]


def _render(truth: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Write every value the way the scraper does."""
    n = len(truth)
    raw = {"listing_id": truth["listing_id"].to_numpy(),
           "scraped_at": [t.strftime(SCRAPED_FORMAT) for t in truth["scraped_at"]]}
    listed = []
    for t, u in zip(truth["listed_on"], rng.random(n)):
        listed.append(None if pd.isna(t) else t.strftime(DATE_FORMATS[0 if u < 0.5 else 1 if u < 0.8 else 2]))
    raw["listed_on"] = listed
    cities = []
    for name, u in zip(truth["city"], rng.random(n)):
        if pd.isna(name):
            cities.append(None)
            continue
        spelling = name if u < 0.55 else CITY_NAMES[name][int(rng.integers(0, len(CITY_NAMES[name])))]
        spelling = _case(rng, spelling)
        cities.append(" " * int(rng.integers(1, 3)) + spelling if rng.random() < 0.1
                      else spelling + " " if rng.random() < 0.1 else spelling)
    raw["city"] = cities
    raw["room_type"] = truth["room_type"].to_numpy()
    prices = []
    for p, u in zip(truth["price"], rng.random(n)):
        if np.isnan(p):
            prices.append(None)
        else:
            prices.append(f"${p:,.0f}" if u < 0.4 else f"{p:.0f}" if u < 0.65 else f"${p:,.2f}" if u < 0.85
                          else f"{p:,.2f}" if u < 0.95 else f" $ {p:,.0f}")
    raw["price"] = prices
    raw["bedrooms"] = [None if np.isnan(b) else (("studio", "Studio", "STUDIO")[int(rng.integers(0, 3))] if b == 0
                                                 else str(int(b))) for b in truth["bedrooms"]]
    for col in ("bathrooms", "size_sqm", "n_reviews", "review_score", "minimum_nights"):
        raw[col] = truth[col].to_numpy()
    raw["instant_bookable"] = np.where(truth["instant_bookable"], "t", "f")
    raw["n_bookings_30d"] = truth["n_bookings_30d"].to_numpy()
    raw["booked_30d"] = truth["booked_30d"].to_numpy()
    return pd.DataFrame(raw, columns=list(COLUMNS))


def read_raw(source) -> pd.DataFrame:
    """Read a listings CSV the way ``load_listings`` does: text columns stay text."""
    return pd.read_csv(source, dtype=RAW_DTYPES, keep_default_na=False, na_values=[""])


def make_listings(n_listings: int = 2800, seed: int = 0, dup_rate: float = 0.08, truth: bool = False):
    """A fresh messy listings table (exactly what reading its CSV gives), and optionally the clean truth.

    The truth has one row per row of the table (same order): typed values, canonical cities.
    """
    rng = np.random.default_rng(seed)
    latest = _truth(n_listings, rng)
    clean = _order_rows(pd.concat([latest, _older_scrapes(latest, rng, dup_rate)], ignore_index=True), rng)
    buf = io.StringIO()
    _render(clean, rng).to_csv(buf, index=False)
    buf.seek(0)
    raw = read_raw(buf)
    if not truth:
        return raw
    clean["instant_bookable"] = clean["instant_bookable"].astype(bool)
    return raw, clean


def load_listings() -> pd.DataFrame:
    """The shipped messy listings table as a DataFrame (text columns are left as text)."""
    return read_raw(CSV_PATH)


def write_csv(path: Path = CSV_PATH) -> Path:
    make_listings(seed=0).to_csv(path, index=False)
    return path


if __name__ == "__main__":
    print(f"wrote {write_csv()}")
