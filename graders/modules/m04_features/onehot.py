"""one_hot_align: the training frame decides the columns; the test frame gets exactly those."""
from __future__ import annotations

import numpy as np
import pandas as pd

from graders.engine.domains import Column, Domain, Frames
from graders.engine.judges import error_failure
from graders.engine.kept_values import kept_oracle
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, seed_for

from .frames import column, expected_numbers, expected_text, incorrect, is_integer_dtype, numbers, same_numbers, what
from .helpers import frames_each


def ohe_ref(train, test, cols):
    cats = {c: sorted(train[c].dropna().unique().tolist()) for c in cols}
    outs = []
    for df in (train, test):
        out = df.drop(columns=cols)
        for c in cols:
            for v in cats[c]:
                out[f"{c}_{v}"] = (df[c] == v).fillna(False).astype(int).to_numpy()
        outs.append(out)
    return outs


# kept per case between grades (engine/kept_values.py): the indicator columns of every case cost 0.24 s of a grade
OHE = kept_oracle(ohe_ref, "04_features-one-hot", ("pandas",))


def _frames_pair(case, obs):
    if "error" in obs:
        return None, error_failure(case, obs["error"])
    desc = obs["value"]
    items = desc.get("items") if desc.get("kind") == "tuple" else None
    if not items or len(items) != 2 or any(i.get("kind") != "frame" for i in items):
        return None, incorrect(case, f"expected a pair of DataFrames (train_out, test_out), got {what(desc)}.")
    return items, None


def _columns_failure(case, items, expected_pair):
    train, test, cols = case.args
    exp_train, _ = expected_pair
    expected = list(exp_train.columns)
    got_tr, got_te = list(items[0]["columns"]), list(items[1]["columns"])
    test_only = {f"{c}_{v}" for c in cols for v in set(test[c].dropna()) - set(train[c].dropna())}
    if got_tr != got_te:
        if set(got_te) - set(got_tr) or set(got_tr) - set(got_te):
            return incorrect(case, "train_out and test_out have different columns: one-hot encoding each frame on "
                                   "its own (two get_dummies calls) lets each frame choose its own columns. Take the "
                                   "categories from train and build the same columns for both.", "separate-dummies")
        return incorrect(case, "train_out and test_out have the same columns in a different order: a model fed "
                               "arrays would read the wrong feature; use one column order for both.", "column-order")
    if set(got_tr) & test_only:
        return incorrect(case, "you made columns for categories that only appear in test: the columns come from the "
                               "training categories alone (a model cannot have learned a weight for a category it "
                               "never saw).", "test-categories")
    if any(c in got_tr for c in cols):
        return incorrect(case, f"the original columns {[c for c in cols if c in got_tr]} are still there: replace "
                               "each of `cols` by its indicator columns.", "cols-kept")
    nan_cols = [c for c in got_tr if c not in expected and str(c).lower().endswith(("_nan", "_none", "_<na>"))]
    if nan_cols:
        return incorrect(case, f"you made columns for missing values ({nan_cols}): a missing category gives all "
                               "zeros, with no column of its own.", "nan-column")
    missing, extra = [c for c in expected if c not in got_tr], [c for c in got_tr if c not in expected]
    if missing and not extra and all(any(m == f"{c}_{sorted(train[c].dropna().unique())[0]}" for c in cols)
                                     for m in missing):
        return incorrect(case, f"columns {missing} are missing: drop_first=True drops a category; the contract "
                               "keeps one column per training category.", "drop-first")
    if missing or extra:
        return incorrect(case, f"your columns differ from the expected `<col>_<value>` columns (missing: "
                               f"{missing[:4]}, unexpected: {extra[:4]}).", "wrong-columns")
    return None


def _values_failure(case, items, side, expected_pair):
    train, test, cols = case.args
    frame = (train, test)[side]
    expected = expected_pair[side]
    desc = items[side]
    name = ("train_out", "test_out")[side]
    if desc["n_rows"] != len(frame):
        return incorrect(case, f"{name} has {desc['n_rows']} rows for {len(frame)} input rows.")
    if desc["index"] != frame.index.tolist():
        return incorrect(case, f"{name} lost the input's index: keep it (get_dummies and pd.concat(axis=1) keep it; "
                               "OneHotEncoder output needs index=df.index).", "index-lost")
    for col in expected.columns:
        data = column(desc, col)
        if str(expected[col].dtype) in ("str", "string", "object"):
            if data is None or data["kind"] != "text" or data["values"] != expected_text(expected[col]):
                return incorrect(case, f"column `{col}` of {name} changed; leave the other columns as they are.")
            continue
        got, exp = numbers(data), expected_numbers(expected[col])
        if got is None:
            return incorrect(case, f"column `{col}` of {name} should hold 0/1 numbers, got {data['kind']} values.")
        ok = same_numbers(got, exp)
        if ok.all():
            continue
        if col in frame.columns:
            return incorrect(case, f"column `{col}` of {name} changed; leave the other columns as they are.")
        if side == 1 and np.isnan(got[~ok]).all():
            return incorrect(case, f"`{col}` of test_out is NaN where the test category was unseen (or missing): "
                                   "those rows get 0 in every column (reindex(..., fill_value=0)).", "unseen-nan")
        return incorrect(case, f"indicator `{col}` of {name} is wrong in {int((~ok).sum())} of {len(ok)} rows.")
    return None


def _judge(parts):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            items, failure = _frames_pair(case, obs)
            if failure:
                return failure
            expected_pair = OHE(*case.args)             # once per case, kept: the judge's main cost
            failure = _columns_failure(case, items, expected_pair)
            if failure:
                return failure
            for part in parts:
                if part == "dtype":
                    train, test, cols = case.args
                    dummies = [c for c in expected_pair[0].columns if c not in train.columns]
                    for side, desc in enumerate(items):
                        bad = {c: d for c, d in zip(desc["columns"], desc["dtypes"])
                               if c in dummies and not is_integer_dtype(d)}
                        if bad:
                            example = next(iter(bad.items()))
                            return incorrect(case, f"indicator columns must be int 0/1; `{example[0]}` has dtype "
                                                   f"{example[1]} (pd.get_dummies makes bool columns unless you "
                                                   "pass dtype=int).", "bool-dummies")
                else:
                    failure = _values_failure(case, items, part, expected_pair)
                    if failure:
                        return failure
        return None
    judge.expect = OHE       # what the module's warm_up keeps for each case
    return judge


def _frames(rng, n_train, n_test, nan_rate=0.0, int_col=False):
    cities = ["Berlin", "Lisbon", "Madrid", "Paris", "Porto"]
    rooms = ["Entire home/apt", "Private room", "Shared room"]
    def make(n, extra_cities, extra_rooms):
        city = rng.choice(cities + extra_cities, size=n).astype(object)
        room = rng.choice(rooms + extra_rooms, size=n).astype(object)
        city[rng.random(n) < nan_rate] = None
        df = pd.DataFrame({"listing_id": rng.choice(10 ** 6, size=n, replace=False),
                           "city": np.array(city, dtype=object), "price": np.round(rng.gamma(4, 25, n), 0),
                           "room_type": np.array(room, dtype=object)})
        if int_col:
            df["floor"] = rng.choice([0, 1, 2, 3, 10], size=n)
        return df
    return make(n_train, [], []), make(n_test, ["Rome", "Oslo"], ["Hotel room"])


def _cases(check, nan_rate=0.0, int_col=False, index=False):
    def make():
        rng = np.random.default_rng(seed_for("04_features", "one_hot_align", check))
        train, test = _frames(rng, 80, 40, nan_rate, int_col)
        cols = ["city", "room_type"] + (["floor"] if int_col else [])
        if index:
            train.index = pd.Index(rng.permutation(np.arange(500, 500 + len(train))))
            test.index = pd.Index([f"t{i}" for i in range(len(test))])
        words = "; ".join(filter(None, ["test holds cities and a room type never seen in training",
                                        "some cities missing" if nan_rate else "",
                                        "an integer column `floor`" if int_col else "",
                                        "non-default indexes" if index else ""]))
        return [Case((train, test, cols), {}, f"cols={cols}; {words}")]
    return make


def example_frames():
    """The notebook's example (the notebook builds the same frames)."""
    train = pd.DataFrame({"color": ["red", "blue", "red", "green"], "x": [1.0, 2.0, 3.0, 4.0]})
    test = pd.DataFrame({"color": ["blue", "purple", None], "x": [5.0, 6.0, 7.0]})
    return train, test


def _example_cases():
    train, test = example_frames()
    return [Case((train, test, ["color"]), {}, "the notebook's example (colors red/blue/green; purple and a "
                                               "missing color in test)")]


def _side(rows, cities, floors):
    return Frames({"city": Column("object", values=cities, missing=True), "price": Column(low=0.0, high=9.0),
                   "floor": Column("int64", ints=floors)}, rows=rows, index="ids")


# the contract's inputs: a text column with missing values and an int column encoded (one or both), a float column
# kept, train frames of 1..10 rows (one category, a column all missing), test frames of 1..6 rows with a city and
# a floor unseen in training, unsorted indexes
DOMAIN = Domain(args=(_side("n", ("Lisbon", "Porto", "Berlin"), (0, 3)), _side("m", ("Lisbon", "Porto", "Rome"), (0, 4)),
                      (["city"], ["floor"], ["city", "floor"])),
                names=("train", "test", "cols"), dim_sizes={"n": (1, 10), "m": (1, 6)}, examples=8)


def _check(title, points, cases, parts):
    return Check(title, points, cases, _judge(parts), probe=frames_each)


one_hot_align = Exercise(
    "one_hot_align",
    skill="feature-engineering",
    hints=(
        "The set of columns is part of the model: it is decided once, from the training data, and every later "
        "frame is forced into it. Categories first seen at serving time have no column (all zeros).",
        "Per col: cats = sorted(train[col].dropna().unique()); for each frame add "
        "(df[col] == v).astype(int) as f'{col}_{v}' for every v in cats, then drop col.",
        "Or: pd.get_dummies(df, columns=cols, dtype=int) on both, then "
        "test_out = test_out.reindex(columns=train_out.columns, fill_value=0).",
    ),
    checks=(
        _check("the example in the notebook", 1, _example_cases, (0, 1)),
        _check("train: one int 0/1 column per training category, replacing the original column", 2,
               _cases("train"), (0,)),
        _check("test: exactly train's columns; unseen categories give all zeros", 3, _cases("test"), (1,)),
        _check("missing values give all zeros; other columns and the index are kept", 2,
               _cases("nan", nan_rate=0.15, int_col=True, index=True), (0, 1)),
        _check("indicator columns are int 0/1, not bool", 1, _cases("dtype"), ("dtype",)),
        generated(DOMAIN, _judge((0, 1, "dtype")), 1, seed_for("04_features", "one_hot_align", "domain"),
                  probe=frames_each),
    ),
)
