"""make_preprocessor: an unfitted ColumnTransformer that survives serving-time data and earns its AUC.

Graded inside ``Pipeline([preprocess, LogisticRegression(max_iter=1000)])`` on fresh data: NaNs
and categories unseen at fit arrive at predict time, unlisted columns (an id, free text, a leaky
count) must be dropped, and the cross-validated AUC must reach ``AUC_TARGET``.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from graders.engine.domains import Column, Domain, Frames
from graders.engine.judges import error_failure
from graders.engine.results import Status
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Failure, seed_for

from .frames import incorrect
from .helpers import pipeline_predictions, preprocessor_kind, preprocessor_outputs

AUC_TARGET = 0.80          # median-impute + scale + one-hot gets about 0.86 here; numbers only, 0.77
NUMERIC = ["price", "size_sqm", "review_score", "n_reviews", "dist_center_km"]
CATEGORICAL = ["city", "room_type", "host_tier"]
_CITY = {"Lisbon": 1.3, "Porto": -0.8, "Madrid": 0.5, "Barcelona": -1.4, "Berlin": 0.0, "Paris": 1.5, "Rome": -0.9}
_ROOM = {"Entire home/apt": 0.8, "Private room": -0.3, "Shared room": -1.5, "Hotel room": 0.4}
_HOST = {"superhost": 1.2, "regular": 0.0, "new": -1.2}


def make_data(rng, n, cities=tuple(_CITY), rooms=tuple(_ROOM), nan_num=0.1, nan_cat=0.05):
    """Listings with a 0/1 'booked' target; unlisted columns: an id, free text and a leaky count."""
    city = rng.choice(np.array(cities, dtype=object), size=n)
    room = rng.choice(np.array(rooms, dtype=object), size=n)
    host = rng.choice(np.array(list(_HOST), dtype=object), size=n, p=[0.3, 0.5, 0.2])
    price, size = rng.lognormal(4.6, 0.5, n), rng.gamma(3, 20, n)
    score, nrev, dist = np.clip(rng.normal(4.5, 0.35, n), 1, 5), rng.poisson(30, n).astype(float), rng.exponential(3, n)
    logit = (-1.6 * (np.log(price) - 4.6) / 0.5 + 0.9 * (score - 4.5) / 0.35 - 0.5 * (dist - 3) / 3
             + 0.2 * (np.log1p(nrev) - 3.4) + np.array([_CITY[c] for c in city]) + np.array([_ROOM[r] for r in room])
             + np.array([_HOST[h] for h in host]))
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    df = pd.DataFrame({
        "listing_id": rng.choice(10 ** 6, size=n, replace=False), "price": np.round(price),
        "size_sqm": np.round(size, 1),
        "review_score": np.round(score, 2), "n_reviews": nrev, "dist_center_km": np.round(dist, 2),
        "city": np.array(city, dtype=object), "room_type": np.array(room, dtype=object),
        "host_tier": np.array(host, dtype=object),
        "description": np.array([f"cosy place near the centre #{i}" for i in range(n)], dtype=object),
        "n_bookings_30d": y * (1 + rng.poisson(2.0, n)),
    })
    for c in ("price", "size_sqm", "review_score", "dist_center_km"):
        df.loc[rng.random(n) < nan_num, c] = np.nan
    for c in CATEGORICAL:
        df.loc[rng.random(n) < nan_cat, c] = np.nan
    return df, y


def _ok_probabilities(case, obs) -> Failure | None:
    if "error" in obs:
        message = obs["error"].get("message", "")
        if "unknown categor" in message.lower():
            return incorrect(case, "your preprocessor failed on a category it did not see at fit time: give the "
                                   "encoder handle_unknown='ignore' (serving data always brings new categories).",
                             "no-handle-unknown")
        if "contains nan" in message.lower() or "missing values" in message.lower():
            return incorrect(case, "missing values reached the model: impute the numeric columns (e.g. "
                                   "SimpleImputer(strategy='median')) inside the ColumnTransformer.", "no-imputation")
        if "could not convert string" in message.lower():
            return incorrect(case, "text reached the model: the ColumnTransformer must drop the columns it is not "
                                   "given (remainder='drop', the default), and encode the categorical ones.",
                             "remainder-passthrough")
        return error_failure(case, obs["error"])
    p = np.asarray(obs["value"], dtype=float)
    n = len(case.args[2])
    if p.shape != (n,) or not np.all(np.isfinite(p)):
        return incorrect(case, "the pipeline's predict_proba did not give one finite probability per row.")
    return None


def _judge_survives(cases, observations):
    for case, obs in zip(cases, observations):
        failure = _ok_probabilities(case, obs)
        if failure:
            return failure
    return None


def _judge_auc(cases, observations):
    aucs = []
    for case, obs in zip(cases, observations):
        failure = _ok_probabilities(case, obs)
        if failure:
            return failure
        aucs.append(roc_auc_score(case.extra, obs["value"]))
    mean = float(np.mean(aucs))
    if mean < AUC_TARGET:
        return Failure(Status.INCORRECT, f"mean 5-fold cross-validated AUC {mean:.3f} is below {AUC_TARGET}: impute "
                       "and scale the numeric columns and one-hot encode the categorical ones (the categorical "
                       "columns carry much of the signal).", "low-auc")
    return None


def _judge_kind(cases, observations):
    obs = observations
    if "error" in obs:
        return error_failure(cases[0], obs["error"])
    if not obs["is_ct"]:
        return Failure(Status.INCORRECT, f"make_preprocessor returned a {obs['type']}; return the "
                       "sklearn.compose.ColumnTransformer itself (the grader puts it in a Pipeline).",
                       "not-a-column-transformer")
    if obs["fitted"]:
        return Failure(Status.INCORRECT, "the ColumnTransformer is already fitted: return it unfitted, so that "
                       "each cross-validation fold fits it on its own training rows.", "fitted")
    return None


def _judge_dropped(cases, observations):
    obs = observations
    case = cases[0]
    if "error" in obs:
        failure = _ok_probabilities(case, obs)
        return failure
    first, *others = obs["outputs"]
    for other in others:
        if other.shape != first.shape or not np.allclose(other, first, equal_nan=True):
            return incorrect(case, "changing columns you were not given (an id, a leaky count) changed the output: "
                                   "drop unlisted columns (remainder='drop', the default). Passing them through lets "
                                   "ids and leaks into the model.", "remainder-passthrough")
    return None


# ------------------------------------------------------------------ cases
def _runs_cases(check, build):
    def make():
        return build(np.random.default_rng(seed_for("04_features", "make_preprocessor", check)))
    return make


def _survive_nan(rng):
    fit, y = make_data(rng, 400)
    pred, _ = make_data(rng, 60, nan_num=0.5)
    pred["n_reviews"] = np.where(rng.random(60) < 0.3, np.nan, pred["n_reviews"])   # none there at fit time
    pred.loc[pred.index[:3], NUMERIC] = np.nan                                       # rows with no numbers
    return [Case((fit, y, pred), {}, "fit on 400 rows with some missing numbers, predict on rows with many "
                                     "(n_reviews has none at fit time, three rows have no numbers at all)")]


def _survive_unseen(rng):
    fit, y = make_data(rng, 400, cities=("Lisbon", "Porto", "Madrid", "Berlin"), rooms=("Entire home/apt",
                                                                                          "Private room"),
                       nan_num=0.0, nan_cat=0.0)
    pred, _ = make_data(rng, 60, nan_num=0.0, nan_cat=0.2)    # numbers complete: this check is about categories
    return [Case((fit, y, pred), {}, "fit on 400 rows of 4 cities and 2 room types without missing categories, "
                                     "predict on rows with other cities, other room types and missing ones")]


def _cv(rng):
    df, y = make_data(rng, 2000)
    df = df.drop(columns=["n_bookings_30d"])      # no leak to pass through here: the AUC must be earned
    folds = StratifiedKFold(5, shuffle=True, random_state=0).split(df, y)
    return [Case((df.iloc[tr], y[tr], df.iloc[va]), {}, f"fold {k + 1} of 5 on 2000 listings", extra=y[va])
            for k, (tr, va) in enumerate(folds)]


def example_frames():
    """The notebook's example (the notebook builds the same frames)."""
    fit = pd.DataFrame({"price": [80.0, 120.0, np.nan, 95.0, 200.0, 60.0],
                        "city": ["Lisbon", "Porto", "Lisbon", None, "Porto", "Lisbon"],
                        "listing_id": [1, 2, 3, 4, 5, 6]})
    new = pd.DataFrame({"price": [np.nan, 100.0], "city": ["Tokyo", None], "listing_id": [7, 8]})
    return fit, np.array([1, 0, 1, 0, 0, 1]), new


def _predicting(title, points, cases, judge, columns=(NUMERIC, CATEGORICAL), timeout=30.0):
    """A check that fits Pipeline(make_preprocessor(*columns), LogisticRegression) per case and predicts."""
    numeric, categorical = columns
    return Check(title, points, cases, judge, probe=pipeline_predictions, timeout=timeout,
                 probe_args=lambda target, cs: (target, numeric, categorical, [c.args for c in cs]))


def _kind_args(target, cases):
    return (target, NUMERIC, CATEGORICAL)


def _dropped_cases():
    rng = np.random.default_rng(seed_for("04_features", "make_preprocessor", "dropped"))
    df, _ = make_data(rng, 300)
    other = df.copy()
    other["listing_id"] = rng.permutation(other["listing_id"].to_numpy())
    other["n_bookings_30d"] = rng.integers(0, 9, len(other))
    return [Case((df, [df, other]), {}, "300 listings, then the same listings with other ids and booking counts")]


def _dropped_args(target, cases):
    X, frames = cases[0].args
    return (target, NUMERIC, CATEGORICAL, X, frames)


# ------------------------------------------------------------------ generated cases (engine/domains.py)
DRAWN_COLUMNS = (["price", "rooms"], ["city", "floor"])     # floor: a categorical column coded by numbers


def _side(rows, cities, floors):
    return Frames({"price": Column(low=0.0, high=9.0, missing=True), "rooms": Column("int64", ints=(0, 4)),
                   "city": Column("object", values=cities, missing=True),
                   "floor": Column("int64", ints=floors, missing=True)}, rows=rows, index="ids")


def _fitted_run(case):
    """A drawn (fit frame, predict frame) with a target fixed by the row count: half the rows 1, in shuffled order."""
    fit, pred = case.args
    y = np.arange(len(fit)) % 2
    y = y[np.random.default_rng(len(fit)).permutation(len(fit))]
    return dataclasses.replace(case, args=(fit, y, pred))


def _each_column_seen(args, kwargs):
    """Every column has a value at fit time (an imputer learns nothing from a column all missing)."""
    return bool(args[0].notna().any().all())


# the contract's inputs: fit frames of 4..12 rows, predict frames of 1..6 rows, numbers and categories with missing
# values (a fit column with one value only), a categorical column coded by numbers (floor), a city and floors
# unseen at fit, unsorted indexes
DOMAIN = Domain(args=(_side("n", ("Lisbon", "Porto"), (0, 2)), _side("m", ("Lisbon", "Rome"), (0, 4))),
                names=("X_fit", "X_predict"), dim_sizes={"n": (4, 12), "m": (1, 6)}, where=_each_column_seen,
                examples=4)


def _judge_drawn(cases, observations):
    cases = [_fitted_run(c) for c in cases]
    for case, obs in zip(cases, observations):
        message = (obs.get("error") or {}).get("message", "")
        if "uniformly strings or numbers" in message or "invalid. Expected a numerical value" in message:
            return incorrect(case, "your categorical steps mix text into numbers: the column `floor` is a category "
                                   "coded by numbers, and a text fill value (SimpleImputer(strategy='constant', "
                                   "fill_value='missing')) gives the encoder both kinds. Let OneHotEncoder treat a "
                                   "missing value as a category of its own, or impute the most frequent value.",
                             "fill-text-in-numbers")
    return _judge_survives(cases, observations)


def _args_drawn(target, cases):
    return (target, *DRAWN_COLUMNS, [_fitted_run(c).args for c in cases])


make_preprocessor = Exercise(
    "make_preprocessor",
    skill="pipelines",
    hints=(
        "Everything learned from data (medians, scales, the category list) must be learned inside the pipeline, "
        "from training rows only, and then applied unchanged to whatever arrives at predict time.",
        "ColumnTransformer([('num', make_pipeline(SimpleImputer(strategy='median'), StandardScaler()), numeric), "
        "('cat', OneHotEncoder(handle_unknown='ignore'), categorical)]); unlisted columns are dropped by default.",
        "OneHotEncoder treats a missing category as one more category at fit, and as unknown (all zeros) at "
        "predict when it never saw one; handle_unknown='ignore' is what makes that safe.",
    ),
    checks=(
        Check("returns an unfitted ColumnTransformer", 1, [Case((), {}, "make_preprocessor(numeric, categorical)")],
              _judge_kind, probe=preprocessor_kind, probe_args=_kind_args),
        _predicting("the example in the notebook", 1,
                    [Case(example_frames(), {}, "the notebook's example (a new city and missing values)")],
                    _judge_survives, (["price"], ["city"]), 20.0),
        _predicting("survives missing numbers at predict time (imputation learned at fit)", 2,
                    _runs_cases("nan", _survive_nan), _judge_survives),
        _predicting("survives unseen and missing categories at predict time", 1,
                    _runs_cases("unseen", _survive_unseen), _judge_survives),
        Check("drops the columns it is not given (ids, free text, leaks)", 1, _dropped_cases, _judge_dropped,
              probe=preprocessor_outputs, probe_args=_dropped_args, timeout=30.0),
        _predicting(f"mean 5-fold cross-validated AUC >= {AUC_TARGET} with LogisticRegression(max_iter=1000)", 3,
                    _runs_cases("cv", _cv), _judge_auc, timeout=90.0),
        generated(DOMAIN, _judge_drawn, 1, seed_for("04_features", "make_preprocessor", "domain"),
                  probe=pipeline_predictions, probe_args=_args_drawn, timeout=30.0),
    ),
)
