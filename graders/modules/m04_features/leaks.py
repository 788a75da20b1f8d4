"""find_leaky_columns: columns that alone predict a 0/1 target almost perfectly on held-out rows.

Each check plants one kind of leak among honest columns: a near-copy of the target (either
direction), a leak carried by missing values only, a categorical leak; the last check has honest,
ID-like and high-cardinality columns that only an in-sample method would flag.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from graders.engine.domains import Column, Domain, Frames
from graders.engine.judges import error_failure
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, seed_for

from .frames import incorrect, what
from .helpers import frames_each


def make_leak_frame(rng, n, leaks=(), ids=False):
    """Honest columns (signal up to a single-column AUC of about 0.75) plus the requested leaks."""
    y = (rng.random(n) < 0.45).astype(np.int64)
    df = pd.DataFrame({
        "price": np.round(rng.lognormal(4.6, 0.4, n) * np.where(y == 1, 0.85, 1.0)),
        "review_score": np.round(np.clip(rng.normal(4.45 + 0.2 * y, 0.35), 1, 5), 2),
        "size_sqm": np.round(rng.gamma(3, 20, n), 1),
        "n_reviews": rng.poisson(25 + 4 * y).astype(np.int64),
        "room_type": np.array(np.where(rng.random(n) < 0.3 + 0.25 * y, "Entire home/apt",
                                       rng.choice(["Private room", "Shared room"], n)), dtype=object),
        "city": np.array(rng.choice(["Lisbon", "Porto", "Madrid", "Paris", "Berlin"], n), dtype=object),
    })
    df.loc[rng.random(n) < 0.2, "size_sqm"] = np.nan              # missing at random: no leak
    if ids:
        df["listing_code"] = np.array([f"L{v:06d}" for v in rng.choice(10 ** 6, n, replace=False)], dtype=object)
        df["listing_id"] = rng.choice(10 ** 7, n, replace=False)
        df["host_id"] = np.array([f"H{v:04d}" for v in rng.integers(0, n // 3, n)], dtype=object)
    if "n_bookings_30d" in leaks:
        df["n_bookings_30d"] = y * (1 + rng.poisson(2.0, n))
    if "refund_due" in leaks:
        df["refund_due"] = np.round((1 - y) * rng.uniform(20, 80, n) + rng.normal(0, 0.5, n), 2)
    if "days_to_first_booking" in leaks:
        df["days_to_first_booking"] = np.where(y == 1, rng.integers(1, 31, n), np.nan)
    if "booking_status" in leaks:
        status = np.where(y == 1, "confirmed", "open")
        flip = rng.random(n) < 0.01
        df["booking_status"] = np.array(np.where(flip, np.where(y == 1, "open", "confirmed"), status), dtype=object)
    df["booked"] = y
    order = rng.permutation(df.columns.drop("booked"))
    return df[[*order[: len(order) // 2], "booked", *order[len(order) // 2:]]]


def _names(case, obs):
    if "error" in obs:
        return None, error_failure(case, obs["error"])
    desc = obs["value"]
    value = desc.get("value")
    if desc.get("kind") == "series" and desc["data"].get("kind") == "text":
        value = desc["data"]["values"]
    if isinstance(value, (np.ndarray, pd.Index, pd.Series)) and np.ndim(value) == 1:
        value = list(value)
    if isinstance(value, (tuple, list, frozenset)) and all(isinstance(v, str) for v in value):
        return set(value), None
    if desc.get("kind") == "other" and isinstance(value, (tuple, list, frozenset)) and not value:
        return set(), None
    return None, incorrect(case, f"expected a list of column names, got {what(desc)}.")


def _judge(required=(), exact=False):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            found, failure = _names(case, obs)
            if failure:
                return failure
            df, target = case.args
            if target in found:
                return incorrect(case, "your list contains the target column itself; return the *other* columns "
                                       "that leak it.", "target-listed")
            unknown = found - set(df.columns)
            if unknown:
                return incorrect(case, f"your list names columns that are not in the frame: {sorted(unknown)[:3]}.")
            planted = set(case.extra)
            for leak in required:
                if leak in found:
                    continue
                mistake, message = _MISSED.get(leak, ("missed-leak", f"you missed `{leak}`, which predicts the "
                                                      "target almost perfectly on its own."))
                return incorrect(case, message, mistake)
            if exact:
                false_alarms = sorted(found - planted)
                if any(c in ("listing_code", "listing_id", "host_id") or df[c].nunique() > 0.5 * len(df)
                       for c in false_alarms):
                    return incorrect(case, f"false alarm on {false_alarms}: a column with (almost) a different "
                                           "value on every row predicts its own rows perfectly in-sample but nothing "
                                           "on held-out rows. Judge each column on rows its score was not fitted on "
                                           "(cross-validation / out-of-fold), or bin continuous values.", "in-sample")
                if false_alarms:
                    return incorrect(case, f"false alarm on {false_alarms}: these columns are informative but honest "
                                           "(far from perfect on their own); flag only near-perfect predictors.",
                                     "false-alarm")
                missed = sorted(planted - found)
                if missed:
                    return incorrect(case, f"you missed the leak in {missed}.")
        return None
    return judge


_MISSED = {
    "n_bookings_30d": ("missed-copy", "you missed `n_bookings_30d`, which is 0 exactly when the target is 0: a "
                       "count from the future that only exists once the outcome is known."),
    "refund_due": ("one-direction", "you missed `refund_due`, which predicts the target perfectly in *reverse* "
                   "(high when not booked): an AUC near 0 is as leaky as one near 1; use max(auc, 1 - auc)."),
    "days_to_first_booking": ("missing-ignored", "you missed `days_to_first_booking`, which is missing exactly when "
                              "the target is 0: the leak is in *which* rows are missing. Count a missing value as "
                              "information (a missing flag or a sentinel value), do not drop or impute it away."),
    "booking_status": ("categorical-ignored", "you missed the text column `booking_status`, whose values match the "
                       "target in 99% of rows: test categorical columns too (e.g. out-of-fold category means)."),
}


def _cases(check, n, leaks, ids=False):
    def make():
        rng = np.random.default_rng(seed_for("04_features", "find_leaky_columns", check))
        df = make_leak_frame(rng, n, leaks, ids)
        words = f"{n} rows, target 'booked', {df.shape[1] - 1} other columns" + (" incl. ID-like ones" if ids else "")
        return [Case((df, "booked"), {}, words, extra=tuple(leaks))]
    return make


def example_frame():
    """The notebook's example (the notebook builds the same frame)."""
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, size=300)
    return pd.DataFrame({"size": rng.normal(50, 10, 300) + 5 * y, "rooms": rng.integers(1, 4, 300),
                         "paid_deposit": y * rng.uniform(50, 100, 300), "y": y})


# ------------------------------------------------------------------ generated cases (engine/domains.py)
LEAKS = {    # the planted leaks: column name -> how it is made from the target y
    "n_bookings_30d": lambda y: 3 * y,                                    # a copy
    "refund_due": lambda y: 2.5 * (1 - y),                                # a copy in reverse
    "days_to_first_booking": lambda y: np.where(y == 1, 7.0, np.nan),     # carried by missing values alone
    "booking_status": lambda y: np.array(np.where(y == 1, "confirmed", "open"), dtype=object),   # text
}


def _with_leaks(case):
    """A drawn (honest columns, target) as a hand-picked case: the target (40% of the rows 1, fixed by the row count:
    hypothesis' 0/1 draws are too lopsided for 5 folds) in the middle, one leak of each kind after it."""
    frame, target = case.args
    n = len(frame)
    y = np.zeros(n, dtype=np.int64)
    y[np.random.default_rng(n).permutation(n)[: 2 * n // 5]] = 1
    df = frame.copy()
    df.insert(len(frame.columns) // 2, target, y)
    for name, make in LEAKS.items():
        df[name] = make(y)
    label = (case.label.split(", target=")[0] + f", plus the target `{target}` (1 in {int(y.sum())} rows) and four "
             "columns that leak it: a copy, a reversed copy, one missing exactly when it is 0, one in text")
    return dataclasses.replace(case, args=(df, target), label=label, extra=tuple(LEAKS))


def _judge_drawn(cases, observations):
    cases = [_with_leaks(c) for c in cases]
    for case, obs in zip(cases, observations):
        error = obs.get("error") or {}
        categorical = [c for c in case.args[0].columns if str(case.args[0][c].dtype) == "category"]
        if categorical and error.get("type") in ("TypeError", "ValueError") and "ategor" in error.get("message", ""):
            return incorrect(case, f"your code failed on the column `{categorical[0]}` of pandas' category dtype "
                                   f"({error.get('type')}: {error.get('message', '')[:120]}). A categorical accepts "
                                   "only its own categories (fillna with a new value raises) and has no order unless "
                                   "declared: encode it first (pd.factorize, which codes a missing value -1).",
                             "category-dtype")
    return _judge(tuple(LEAKS))(cases, observations)


def _args_drawn(target, cases):
    return (target, [(_with_leaks(c).args, {}) for c in cases])


def _values_in_every_fold(args, kwargs):
    """Ten values at least in every column: a column (nearly) all missing predicts nothing, and sklearn's
    HistGradientBoostingClassifier (the correct alternative's model) cannot bin a feature that is all NaN in a
    training fold."""
    return bool(args[0].notna().sum().ge(10).all())


# the contract's inputs: 100..110 rows of honest columns of every kind (floats and categories with missing values, ints,
# bools, text), and one leak of each kind. At least 100 rows: a leak is judged on held-out rows, and the
# gradient-boosting alternative's leaves need 20 rows each. False alarms are not judged here: hypothesis' columns
# may predict the target by chance; the hand-picked check "no false alarms" has honest columns of known signal.
# Exactly 100 rows and four cases (a learner's leak finder fits a model per column: about 0.1 s a case, and the
# budget of issue 24 is 20% of the module's grading): cases of one length differ in which columns miss values,
# so the four cover the missing-value patterns (a category column with missing values among them)
DOMAIN = Domain(args=(Frames({"price": Column(low=0.0, high=9.0, missing=True), "rooms": Column("int64", ints=(0, 4)),
                              "superhost": "bool", "city": Column("category", values=("Lisbon", "Porto", "Rome"),
                                                                  missing=True),
                              "room_type": Column("object", values=("Entire home/apt", "Private room"), missing=True)},
                             rows="n", index="ids"), ("booked",)),
                names=("df", "target"), dim_sizes={"n": (100, 100)}, where=_values_in_every_fold, examples=4)


find_leaky_columns = Exercise(
    "find_leaky_columns",
    skill="leakage",
    hints=(
        "A leak is information that would not exist at prediction time, usually because it is recorded after the "
        "outcome. Statistically it shows as a column that predicts the target almost perfectly on its own.",
        "For each column, build a one-column score on held-out rows (out-of-fold category or bin means, with "
        "missing values as their own category) and compute its ROC AUC; flag max(auc, 1 - auc) >= 0.95.",
        "An ID with a different value on every row gets the prior on held-out rows (AUC 0.5): that is why the "
        "score must be out-of-fold.",
    ),
    checks=(
        Check("the example in the notebook", 2, [Case((example_frame(), "y"), {}, "the notebook's example (300 rows; "
                                                                                   "paid_deposit leaks y)",
                                                      extra=("paid_deposit",))], _judge(("paid_deposit",), exact=True),
              probe=frames_each, timeout=30.0),
        Check("finds near-copies of the target, in either direction", 1,
              _cases("copies", 600, ("n_bookings_30d", "refund_due")), _judge(("n_bookings_30d", "refund_due")),
              probe=frames_each, timeout=30.0),
        Check("finds a leak carried by missing values alone", 2, _cases("missing", 600, ("days_to_first_booking",)),
              _judge(("days_to_first_booking",)), probe=frames_each, timeout=30.0),
        Check("finds a leak in a categorical column", 2, _cases("categorical", 600, ("booking_status",)),
              _judge(("booking_status",)), probe=frames_each, timeout=30.0),
        Check("no false alarms on honest, ID-like or high-cardinality columns", 2,
              _cases("clean", 600, ("n_bookings_30d",), ids=True), _judge((), exact=True), probe=frames_each,
              timeout=30.0, gated=True),
        generated(DOMAIN, _judge_drawn, 1, seed_for("04_features", "find_leaky_columns", "domain"), probe=frames_each,
                  probe_args=_args_drawn, timeout=30.0, shrink_choices=1500),     # 100-row frames: ~110 choices
    ),
)
