"""GroupMedianImputer: NaNs filled with (group) medians learned at fit, plus int 0/1 missing indicators."""
from __future__ import annotations

import numpy as np
import pandas as pd

from graders.engine.domains import Column, Domain, Frames
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Exercise, seed_for

from .fitted import fit_transform_check, fit_transform_generated, judge_transforms, listings_like


# ------------------------------------------------------------------ GroupMedianImputer
def _imp_params(init_args, init_kwargs):
    cols = list(init_args[0] if init_args else init_kwargs["cols"])
    by = init_args[1] if len(init_args) > 1 else init_kwargs.get("by")
    return cols, by


def imputer_ref(init_args, init_kwargs, fit, X, stats_from=None, stat="median", use_groups=True, unseen_nan=False,
                missing_key_group=False):
    cols, by = _imp_params(init_args, init_kwargs)
    src = fit if stats_from is None else stats_from
    out = X.copy()
    for c in cols:
        glob = getattr(src[c], stat)()
        if by is not None and use_groups:
            per_group = src.groupby(by, dropna=not missing_key_group)[c].agg(stat)
            fill = X[by].map(per_group)
            if not unseen_nan:
                fill = fill.fillna(glob)
        else:
            fill = pd.Series(glob, index=X.index)
        out[c] = X[c].fillna(fill)
    for c in cols:
        out[f"{c}_missing"] = X[c].isna().astype(int)
    return out


# the contract's outputs, kept per case between grades (engine/kept_values.py): pandas groupbys on every frame of
# every check cost 0.17 s of a grade; the variants, called on wrong answers only, are not kept
IMPUTER = kept_oracle(imputer_ref, "04_features-group-median-imputer", ("pandas",))

IMPUTER_VARIANTS = (
    ("refit-in-transform", "your fill values come from the frame being transformed, not from the fit data: "
     "`transform` must reuse the medians learned in `fit` (recomputing them at serving time is leakage and "
     "train/serve skew).", lambda a, k, fit, X: imputer_ref(a, k, fit, X, stats_from=X)),
    ("mean-not-median", "you filled with means; the contract asks for medians (robust to outliers).",
     lambda a, k, fit, X: imputer_ref(a, k, fit, X, stat="mean")),
    ("groups-ignored", "you filled with the global median only: with `by`, each row gets the median of its group "
     "(the global median only for groups unseen or all-missing at fit).",
     lambda a, k, fit, X: imputer_ref(a, k, fit, X, use_groups=False)),
    ("unseen-group-nan", "rows whose group was unseen at fit (or whose group was all-missing at fit, or whose "
     "group key is missing) stayed NaN: fall back to the global median learned at fit.",
     lambda a, k, fit, X: imputer_ref(a, k, fit, X, unseen_nan=True)),
    # found by the generated cases: the hand-picked fit frames have a city on every row
    ("missing-key-group", "rows whose group key is missing form a group of their own in your medians "
     "(groupby(..., dropna=False)): a missing key is no group; those rows get the global median learned at fit "
     "(groupby's default dropna=True).", lambda a, k, fit, X: imputer_ref(a, k, fit, X, missing_key_group=True)),
)


def _imputer_indicators(init_args, init_kwargs):
    return [f"{c}_missing" for c in _imp_params(init_args, init_kwargs)[0]]


def _imputer_cases(check, specs):
    def make():
        rng = np.random.default_rng(seed_for("04_features", "GroupMedianImputer", check))
        out = []
        for init_args, init_kwargs, label, tweak in specs:
            fit = listings_like(rng, 150)
            X1 = listings_like(rng, 60, shift=40.0, scale=1.8, miss=0.35)
            X2 = listings_like(rng, 40, miss=0.5)
            fit, X1, X2 = tweak(fit, X1, X2)
            out.append(Case((init_args, init_kwargs, fit, [X1, X2]), {}, label))
        return out
    return make


def _same_frames(fit, X1, X2):
    return fit, X1, X2


def _unseen(fit, X1, X2):
    fit = fit.copy()
    fit.loc[fit["city"] == "Porto", "size_sqm"] = np.nan            # a group all-missing at fit
    X1 = X1.copy()
    X1.loc[X1.index[:8], "city"] = "Rome"                            # unseen at fit
    X1.loc[X1.index[8:12], "city"] = np.nan                          # missing group key
    X1.loc[X1.index[:20:2], "size_sqm"] = np.nan
    return fit, X1, X2


def _example_imputer_cases():
    fit = pd.DataFrame({"city": ["A", "A", "A", "B", "B"], "size": [10.0, 20.0, np.nan, 50.0, 70.0]})
    X = pd.DataFrame({"city": ["A", "B", "C", "B"], "size": [np.nan, np.nan, np.nan, 1.0]})
    return [Case(((["size"],), {"by": "city"}, fit, [X]), {},
                 "the notebook's example (cities A and B at fit, C unseen)")]


def _medians_defined(args, kwargs):
    """Ill-posed otherwise: a fit column with no value at all has no global median (the syllabus is silent)."""
    cols, _, fit, _ = args
    return all(fit[c].notna().any() for c in cols)


def _imputer_columns(cities):
    return {"size": Column(missing=True), "score": Column(missing=True),
            "city": Column("object", values=cities, missing=True)}


# the contract's inputs: one or two columns, by=None or a text group column with missing keys (at fit too),
# groups all-missing at fit and a city unseen at fit (only the transformed frames draw "Rome"), fit frames of 1..12
# rows, frames to transform of 1..8, any scale (a median has no cancellation: no offsets). 24 cases: at 20 the
# missing-key-group slip (bank) is no longer reached, and each case costs the budget of issue 24 about 6 ms
DOMAIN = Domain(args=((["size"], ["size", "score"]), (None, "city"),
                      Frames(_imputer_columns(("Lisbon", "Porto")), rows="n"),
                      Frames(_imputer_columns(("Lisbon", "Porto", "Rome")), rows="m")),
                names=("cols", "by", "fit frame", "transformed frame"), dim_sizes={"n": (1, 12), "m": (1, 8)},
                scales=(1e-3, 1.0, 1e3), where=_medians_defined, examples=24)


def _imp_check(title, points, cases, parts=("values",)):
    return fit_transform_check(title, points, cases,
                               judge_transforms(IMPUTER, IMPUTER_VARIANTS, _imputer_indicators, parts))


GroupMedianImputer = Exercise(
    "GroupMedianImputer",
    skill="preprocessing",
    hints=(
        "fit learns numbers (medians per column, overall and per group); transform only looks them up. Nothing "
        "in transform may depend on the statistics of the frame being transformed.",
        "In fit: self.global_ = df[cols].median(); self.groups_ = df.groupby(by)[cols].median(). In transform: "
        "fill = X[by].map(self.groups_[c]).fillna(self.global_[c]); X[c] = X[c].fillna(fill).",
        "Record `X[c].isna().astype(int)` before filling, and add the indicator columns after the loop.",
    ),
    checks=(
        _imp_check("the example in the notebook", 1, _example_imputer_cases, ("values", "indicators")),
        _imp_check("by=None: fills with the global medians learned at fit", 2, _imputer_cases("global", [
            ((["size_sqm", "review_score"],), {}, "cols=['size_sqm', 'review_score'], by=None; the transformed "
             "frames are shifted and rescaled", _same_frames)])),
        _imp_check("group medians come from the fit data, not from the data being transformed", 2,
                   _imputer_cases("groups", [
                       ((["size_sqm"], "city"), {}, "cols=['size_sqm'], by='city'; the transformed frames are "
                        "shifted and rescaled", _same_frames),
                       ((), {"cols": ["review_score", "size_sqm"], "by": "city"}, "cols=['review_score', "
                        "'size_sqm'], by='city' (keywords)", _same_frames)])),
        _imp_check("unseen groups, missing group keys and groups all-missing at fit get the global median", 2,
                   _imputer_cases("unseen", [((["size_sqm", "review_score"], "city"), {}, "a frame with a city "
                                              "unseen at fit, missing cities, and a city whose size_sqm was all "
                                              "missing at fit", _unseen)])),
        _imp_check("int 0/1 `<col>_missing` indicators appended at the end; inputs untouched", 2,
                   _imputer_cases("indicators", [((["review_score", "size_sqm"], None), {}, "cols=['review_score', "
                                                  "'size_sqm'], by=None", _same_frames)]),
                   ("indicators", "inputs")),
        fit_transform_generated(DOMAIN, judge_transforms(IMPUTER, IMPUTER_VARIANTS, _imputer_indicators,
                                                         ("values", "indicators", "inputs")),
                                1, seed_for("04_features", "GroupMedianImputer", "domain"), shrink_choices=2000),
    ),
)
