"""04_features graders: reference, stub, the banks, and the data set they are built on."""
from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
from banks import ModuleGraderSuite, bank, graded_in_fresh_processes, written_tables

from graders.engine.registry import load

MODULE = "04_features"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


def test_syllabus_catches_are_in_the_bank():
    named = {(e.exercise, e.mistake) for e in bank(MODULE, "mistakes")}
    for pair in [("clean_listings", "mutates-input"), ("clean_listings", "keep-first"),
                 ("clean_listings", "object-dtype"), ("GroupMedianImputer", "refit-in-transform"),
                 ("GroupMedianImputer", "unseen-group-nan"), ("IQRClipper", "bounds-from-transform"),
                 ("target_encode", "in-fold-leakage"), ("target_encode", "no-smoothing"),
                 ("target_encode", "unseen-nan"), ("one_hot_align", "separate-dummies"),
                 ("time_features", "period-23"), ("time_features", "weekend-off-by-one"),
                 ("make_preprocessor", "no-handle-unknown"), ("make_preprocessor", "no-imputation"),
                 ("select_k_best", "low-recall"), ("find_leaky_columns", "in-sample"),
                 ("chunked_group_mean", "whole-file-in-memory")]:
        assert pair in named, pair


# ------------------------------------------------------------------ the data set
def test_shipped_csv_is_the_seed_0_table_and_the_loaders_agree():
    from datasets.listings import load_listings, make_listings
    from graders.modules.m04_features import data

    shipped = load_listings()
    assert 2000 <= len(shipped) <= 5000
    pd.testing.assert_frame_equal(shipped, make_listings(seed=0))
    pd.testing.assert_frame_equal(shipped, data.load_listings())
    assert data.CITY_ALIASES == __import__("datasets.listings").listings.CITY_ALIASES


def test_every_documented_kind_of_mess_is_in_the_shipped_table():
    from datasets.listings import CITY_ALIASES, load_listings

    df = load_listings()
    assert df["listing_id"].duplicated().sum() > 100                       # several scrapes per listing
    spellings = df["city"].dropna()
    assert (spellings != spellings.str.strip()).any()                       # stray spaces
    assert spellings.str.strip().str.casefold().isin(CITY_ALIASES).all()    # every spelling is documented
    assert spellings.isin(["BCN", "Lisboa", "OPO"]).any() and df["city"].isna().any()
    assert df["price"].str.contains(r"^\$\d{1,3},\d{3}", regex=True).any()  # "$1,234"
    assert df["price"].str.match(r"^\d+$").any() and df["price"].isna().any()
    for pattern in (r"^\d{4}-\d{2}-\d{2}$", r"^\d{2}/\d{2}/\d{4}$", r"^[A-Z][a-z]{2} \d{2}, \d{4}$"):
        assert df["listed_on"].str.match(pattern).any(), pattern
    assert df["bedrooms"].str.lower().eq("studio").any()
    assert set(df["instant_bookable"]) == {"t", "f"}
    assert (df["minimum_nights"] >= 365).any()
    size_missing = df["size_sqm"].isna()
    small = df["bedrooms"].isin(["1", "studio", "Studio", "STUDIO"])
    assert size_missing[small].mean() > 2 * size_missing[~small].mean()     # missing not at random
    assert (df["review_score"].isna() == (df["n_reviews"] == 0)).all()
    assert ((df["n_bookings_30d"] > 0) == (df["booked_30d"] == 1)).all()     # the planted leak


def test_fresh_seeds_give_fresh_tables_and_a_truth_that_matches_them():
    from datasets.listings import make_listings

    a, truth = make_listings(200, seed=11, truth=True)
    b = make_listings(200, seed=12)
    assert not a["listing_id"].equals(b["listing_id"])
    assert len(truth) == len(a) and (truth["listing_id"].to_numpy() == a["listing_id"].to_numpy()).all()
    pd.testing.assert_frame_equal(a, make_listings(200, seed=11))


def test_the_big_csv_is_larger_than_the_memory_cap():
    from graders.modules.m04_features import chunked

    (case,) = chunked._big_cases()
    assert os.path.getsize(case.args[0]) > chunked.MEM_CAP
    expected = case.extra["expected"]
    assert len(expected) > 150 and all(np.isfinite(v) for v in expected.values())


def test_a_tampered_csv_is_rewritten_before_use():
    from graders.modules.m04_features import chunked

    (case,) = chunked._small_cases()
    path = case.args[0]
    before = open(path, "rb").read()
    with open(path, "ab") as fh:
        fh.write(b"999,XX,1.0\n")
    chunked.ensure(path)
    assert open(path, "rb").read() == before


def test_a_later_grading_process_copies_the_big_csv_an_earlier_one_wrote(tmp_path, monkeypatch):
    """The big CSV and its exact means are kept between runs (graders/engine/kept_files.py): a new grading
    process gets the same bytes and means without writing the file again, and a tampered copy is restored."""
    from graders.engine import paths
    from graders.modules.m04_features import chunked, csv_files

    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    writes = []
    real = csv_files.write_big
    monkeypatch.setattr(csv_files, "write_big", lambda path, seed: writes.append(seed) or real(path, seed))
    runs = []
    for i in range(2):                     # two grading processes, each with its own files folder
        monkeypatch.setattr(csv_files, "_DIR", [str(tmp_path / f"files-{i}")])
        os.makedirs(csv_files._DIR[0])
        (case,) = chunked._big_cases()
        with open(case.args[0], "rb") as fh:
            runs.append((fh.read(), case.extra["expected"]))
    assert len(writes) == 1
    assert runs[0] == runs[1]
    assert runs[1][1] == csv_files.big_expected(writes[0])
    with open(case.args[0], "r+b") as fh:
        fh.write(b"XXXX")
    chunked.ensure(case.args[0])
    with open(case.args[0], "rb") as fh:
        assert fh.read() == runs[0][0] and len(writes) == 1
    for folder in ("home", "files-0", "files-1"):     # 48 MB each; pytest keeps its last tmp folders
        shutil.rmtree(tmp_path / folder)


def test_target_encode_oracle_counts_like_a_pandas_groupby():
    """The oracle's per-category sums and counts (numpy, target_oracle._sums_counts) against the pandas
    groupby-and-map they replaced, on categories with missing keys (None, NaN: no group) and unseen ones, any
    smoothing (0 included: unseen -> the prior), targets far from 0."""
    from graders.modules.m04_features.target_oracle import _encode

    def by_groupby(cats_fit, y_fit, cats_apply, m):
        stats = pd.DataFrame({"c": cats_fit, "y": y_fit}).groupby("c")["y"].agg(["sum", "count"])
        prior = float(np.mean(y_fit))
        s = pd.Series(cats_apply, dtype=object).map(stats["sum"]).fillna(0.0).to_numpy(float)
        n = pd.Series(cats_apply, dtype=object).map(stats["count"]).fillna(0.0).to_numpy(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n + m > 0, (s + m * prior) / (n + m), prior), prior

    rng = np.random.default_rng(0)
    levels = np.array(["Lisbon", "Porto", None, np.nan, "Faro", "Rome"], dtype=object)
    for _ in range(300):
        cats_fit = rng.choice(levels[:int(rng.integers(1, 6))], int(rng.integers(1, 30)))
        cats_apply = rng.choice(levels, int(rng.integers(0, 12)))
        y = rng.normal(1000.0 * rng.integers(0, 2), 10.0 ** rng.integers(-3, 3), len(cats_fit))
        m = float(rng.choice([0.0, 0.5, 20.0]))
        got, want = _encode(cats_fit, y, cats_apply, m), by_groupby(cats_fit, y, cats_apply, m)
        assert got[1] == want[1] and np.allclose(got[0], want[0], rtol=1e-12, atol=0, equal_nan=True)


def test_a_later_grade_or_one_after_warm_computes_no_pandas_reference(tmp_path):
    """The imputer's, the clipper's, one_hot_align's and time_features' references (pandas, 0.5 s of a grade's CPU)
    keep their outputs per case (engine/kept_values.py), and so does the generator of clean_listings' fresh
    tables (0.6 s before a cold grade's first check): the first grading process computes and writes their
    tables, a later one and one after `mlkata warm` (04's warm_up) write none (an output not found is always
    written), and all give the same points and named mistakes."""
    from graders.modules.m04_features import spec

    before, written = written_tables(MODULE)
    runs = graded_in_fresh_processes(
        MODULE, ("GroupMedianImputer__mean", "IQRClipper__k_ignored", "one_hot_align__drop_first",
                 "time_features__period_23"), tmp_path, also=written, before=before)
    assert runs.grades[0] == runs.grades[1] == runs.grades[2]
    assert runs.named == {"GroupMedianImputer": ["mean-not-median"], "IQRClipper": ["k-ignored"],
                          "one_hot_align": ["drop-first"], "time_features": ["period-23"]}
    tables = ["04_features-group-median-imputer", "04_features-iqr-clipper", "04_features-listings",
              "04_features-one-hot", "04_features-time-features"]
    assert runs.also == (tables, [], [])
    assert "outputs of the pandas references kept" in runs.warmed and SPEC.warm_up is spec.keep_oracle_outputs
    assert runs.tables(MODULE) == sorted(name.split("-", 1)[1] for name in tables)
