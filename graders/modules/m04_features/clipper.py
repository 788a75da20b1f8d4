"""IQRClipper: Tukey fences learned from the fit data only, applied unchanged to any later frame."""
from __future__ import annotations

import numpy as np
import pandas as pd

from graders.engine.domains import Column, Domain, Frames
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Exercise, seed_for

from .fitted import fit_transform_check, fit_transform_generated, judge_transforms, listings_like


def _params(init_args, init_kwargs):
    cols = list(init_args[0] if init_args else init_kwargs["cols"])
    k = init_args[1] if len(init_args) > 1 else init_kwargs.get("k", 1.5)
    return cols, k


def clipper_ref(init_args, init_kwargs, fit, X, stats_from=None, k_override=None, fences=True, nan_bounds=None):
    cols, k = _params(init_args, init_kwargs)
    k = k if k_override is None else k_override
    src = fit if stats_from is None else stats_from
    out = X.copy()
    for c in cols:
        q1, q3 = src[c].quantile(0.25), src[c].quantile(0.75)
        lo, hi = (q1 - k * (q3 - q1), q3 + k * (q3 - q1)) if fences else (q1, q3)
        if nan_bounds == "ignored":
            continue
        if nan_bounds == "propagated":
            out[c] = np.nan
            continue
        out[c] = X[c].clip(lo, hi)
    return out


# the contract's outputs, kept per case between grades (engine/kept_values.py): quantiles of every frame of every
# check cost 0.12 s of a grade; the variants, called on wrong answers only, are not kept
CLIPPER = kept_oracle(clipper_ref, "04_features-iqr-clipper", ("pandas",))

CLIPPER_VARIANTS = (
    ("bounds-from-transform", "your bounds come from the frame being transformed: learn q1, q3 and the fences in "
     "`fit` and reuse them in `transform` (refitting on serving data is leakage, and makes a row's value depend on "
     "the batch it arrives in).", lambda a, kw, fit, X: clipper_ref(a, kw, fit, X, stats_from=X)),
    ("nan-quantiles", "nothing was clipped: with missing values in the fit data np.percentile / np.quantile return "
     "NaN, and NaN bounds clip nothing. Use pandas' Series.quantile (skips NaN) or np.nanpercentile.",
     lambda a, kw, fit, X: clipper_ref(a, kw, fit, X, nan_bounds="ignored")),
    ("nan-bounds-everywhere", "the clipped column is all NaN: NaN bounds from np.percentile / np.quantile on data "
     "with missing values. Use pandas' Series.quantile (skips NaN) or np.nanpercentile.",
     lambda a, kw, fit, X: clipper_ref(a, kw, fit, X, nan_bounds="propagated")),
    ("k-ignored", "your fences use k=1.5 whatever `k` is: the bounds are q1 - k*IQR and q3 + k*IQR.",
     lambda a, kw, fit, X: clipper_ref(a, kw, fit, X, k_override=1.5)),
    ("clip-to-quartiles", "you clipped to [q1, q3]; Tukey's fences are q1 - k*IQR and q3 + k*IQR.",
     lambda a, kw, fit, X: clipper_ref(a, kw, fit, X, fences=False)),
)


def _cases(check, specs):
    def make():
        rng = np.random.default_rng(seed_for("04_features", "IQRClipper", check))
        out = []
        for init_args, init_kwargs, label, shift, scale in specs:
            fit = listings_like(rng, 160, outliers=0.06, miss=0.1)
            X1 = listings_like(rng, 70, shift=shift, scale=scale, outliers=0.1, miss=0.2)
            X2 = listings_like(rng, 30, outliers=0.2, miss=0.1)
            out.append(Case((init_args, init_kwargs, fit, [X1, X2]), {}, label))
        return out
    return make


def _example_cases():
    fit = pd.DataFrame({"price": [50.0, 60.0, 70.0, 80.0, 90.0, np.nan, 1000.0], "city": list("ABABABA")})
    X = pd.DataFrame({"price": [-500.0, 75.0, 5000.0, np.nan, 60.0, 90.0], "city": list("ABCDEF")})
    return [Case(((["price"],), {}, fit, [X]), {}, "the notebook's example (prices 50..90 and 1000 at fit)")]


def _quartiles_defined(args, kwargs):
    """Ill-posed otherwise: a fit column with no value at all has no quartiles (the syllabus is silent)."""
    cols, _, fit, _ = args
    return all(fit[c].notna().any() for c in cols)


def _listing_columns(low, high):
    return {"size": Column(low=low, high=high, missing=True), "score": Column(low=low, high=high, missing=True),
            "city": Column("object", values=("Lisbon", "Porto"))}


# the contract's inputs: one or two float columns clipped (a text column left alone), fit frames of 1..12 rows
# (one row: q1 = q3), frames to transform of 1..8 rows drawn three times wider (values beyond the fences), NaN
# in both, any k, any scale, data far from 0 (fit and transform at the same location)
DOMAIN = Domain(args=((["size"], ["size", "score"]), (0.5, 1.5, 3.0),
                      Frames(_listing_columns(-1.0, 1.0), rows="n", offsets=(0.0, 1e6)),
                      Frames(_listing_columns(-3.0, 3.0), rows="m", offsets=(0.0, 1e6))),
                names=("cols", "k", "fit frame", "transformed frame"), dim_sizes={"n": (1, 12), "m": (1, 8)},
                scales=(1e-3, 1.0, 1e3), same_offsets=True, where=_quartiles_defined, examples=10)


def _check(title, points, cases, parts=("values",)):
    return fit_transform_check(title, points, cases, judge_transforms(CLIPPER, CLIPPER_VARIANTS, parts=parts))


IQRClipper = Exercise(
    "IQRClipper",
    skill="preprocessing",
    hints=(
        "Tukey's fences: anything below q1 - k*IQR or above q3 + k*IQR is clipped to that bound, with "
        "IQR = q3 - q1. The quartiles are learned once, in fit.",
        "In fit store, per column, lo = q1 - k*(q3 - q1) and hi = q3 + k*(q3 - q1) with q1, q3 = "
        "df[c].quantile(0.25), df[c].quantile(0.75) (pandas skips NaN). In transform: X[c].clip(lo, hi) on a copy.",
        "`self.bounds_ = {c: (q1 - self.k * (q3 - q1), q3 + self.k * (q3 - q1)) for ...}`",
    ),
    checks=(
        _check("the example in the notebook", 1, _example_cases),
        _check("clips to the fences q1 - k*IQR, q3 + k*IQR of the fit data (NaN skipped, NaN kept)", 2,
               _cases("fences", [((["size_sqm", "minimum_nights"],), {}, "cols=['size_sqm', 'minimum_nights'], "
                                  "k=1.5, fit data with missing values and outliers", 0.0, 1.0)])),
        _check("bounds come from the fit data, not from the data being transformed", 3,
               _cases("leak", [((["size_sqm"], 1.5), {}, "cols=['size_sqm']; the transformed frame is shifted by "
                                "+60 and scaled by 2.5", 60.0, 2.5)])),
        _check("uses k; leaves other columns alone; inputs untouched", 3,
               _cases("k", [((), {"cols": ["minimum_nights", "size_sqm"], "k": 3.0}, "cols=['minimum_nights', "
                             "'size_sqm'], k=3.0", 10.0, 1.3),
                            ((["size_sqm"],), {"k": 0.5}, "cols=['size_sqm'], k=0.5 (other numeric columns have "
                             "outliers too)", 0.0, 1.0)]), ("values", "inputs")),
        fit_transform_generated(DOMAIN, judge_transforms(CLIPPER, CLIPPER_VARIANTS, parts=("values", "inputs")),
                                1, seed_for("04_features", "IQRClipper", "domain"), shrink_probes=12,
                                shrink_choices=2000),
    ),
)
