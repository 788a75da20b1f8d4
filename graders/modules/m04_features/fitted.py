"""Judging fit/transform estimators (GroupMedianImputer, IQRClipper): statistics learned at fit time,
reused unchanged at transform time.

Leakage is graded by behaviour: the transformed frames have other statistics than the fit frame
(shifted, rescaled, more missing), so anything recomputed in ``transform`` shows up as wrong values,
and the known wrong variants (refit on the transformed frame, means, NaN bounds...) name the slip.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from graders.engine.judges import error_failure
from graders.engine.sandbox.probes import object_run, object_runs
from graders.engine.search import generated
from graders.engine.spec import checks_with

from .frames import column, expected_numbers, expected_text, incorrect, is_integer_dtype, numbers, same_numbers, what
from .helpers import safe_describe, same_frame

CITIES = ("Lisbon", "Porto", "Madrid", "Barcelona", "Berlin")


def listings_like(rng, n, shift=0.0, scale=1.0, miss=0.15, cities=CITIES, outliers=0.0):
    """A small numeric-and-text frame shaped like the cleaned listings."""
    city = rng.choice(np.array(cities, dtype=object), size=n)
    rank = np.array([cities.index(c) for c in city])
    size = np.round((28 + 9 * rank + rng.gamma(2.0, 6.0, size=n)) * scale + shift, 1)
    score = np.round(np.clip(rng.normal(4.5, 0.35, size=n), 1, 5) * (1 if scale == 1 else 0.8), 2)
    nights = rng.choice([1, 2, 3, 7, 30], size=n).astype(float)
    if outliers:
        hit = rng.random(n) < outliers
        size = np.where(hit, size * rng.choice([8.0, 0.05], size=n), size)
        nights = np.where(rng.random(n) < outliers, rng.choice([365.0, 1000.0], size=n), nights)
    size = np.where(rng.random(n) < miss, np.nan, size)
    score = np.where(rng.random(n) < miss, np.nan, score)
    return pd.DataFrame({"listing_id": rng.choice(10 ** 6, size=n, replace=False), "city": np.array(city, dtype=object),
                         "size_sqm": size, "review_score": score, "minimum_nights": nights,
                         "room_type": np.array(rng.choice(["Entire home/apt", "Private room"], size=n), dtype=object)})


# ------------------------------------------------------------------ shared judging
def judge_transforms(expected_fn, variants, indicator_cols=lambda a, k: (), parts=("values", "indicators")):
    """Compare every transform output with ``expected_fn(init_args, init_kwargs, fit, X)``.

    ``variants``: (mistake id, message, fn) with the same signature, tried when a column differs.
    ``parts``: what this check judges: "values" (filled or clipped columns, other columns kept),
    "indicators" (the `<col>_missing` columns: names, place, dtype, values) and "inputs" (no mutation),
    so that one slip costs the check about it, not every check.
    """

    def judge(cases, observations):
        for case, record in zip(cases, observations):
            init_args, init_kwargs, fit, frames = case.args
            if "error" in record:
                return error_failure(case, record["error"])
            if "inputs" in parts and record["calls"]["fit"]["mutated"]:
                return incorrect(case, "`fit` modified the DataFrame it was given; it must only learn from it.",
                                 "mutates-input")
            for j, X in enumerate(frames):
                obs = record["calls"][f"transform {j}"]
                failure = _judge_one(case, init_args, init_kwargs, fit, X, obs, expected_fn, variants,
                                     list(indicator_cols(init_args, init_kwargs)), parts)
                if failure:
                    return failure
        return None

    if hasattr(expected_fn, "oracle"):      # a kept oracle: the module's warm_up keeps what it gives each case
        judge.expect = _every_frame(expected_fn)
    return judge


def _every_frame(expected_fn):
    """``expected_fn`` on a whole case (init_args, init_kwargs, fit, frames): one output per frame, as the
    judge asks for them; what :func:`keep_outputs` calls on each case."""
    def expect(init_args, init_kwargs, fit, frames):
        return [expected_fn(init_args, init_kwargs, fit, X) for X in frames]

    expect.oracle = expected_fn.oracle
    return expect


def _judge_one(case, init_args, init_kwargs, fit, X, obs, expected_fn, variants, indicators, parts):
    if "error" in obs:
        return error_failure(case, obs["error"])
    desc = obs["value"]
    if desc.get("kind") != "frame":
        return incorrect(case, f"`transform` should return a DataFrame, got {what(desc)}.")
    if "inputs" in parts and obs.get("mutated"):
        return incorrect(case, "`transform` modified the DataFrame it was given: work on a copy (X = X.copy()).",
                         "mutates-input")
    expected = expected_fn(init_args, init_kwargs, fit, X)
    cols = list(desc["columns"])
    if desc["n_rows"] != len(X):
        return incorrect(case, f"`transform` returned {desc['n_rows']} rows for {len(X)} input rows: never drop "
                               "rows, only change values.", "rows-dropped")
    judged = [c for c in expected.columns if c not in indicators or "indicators" in parts]
    missing = [c for c in judged if c not in cols]
    extra = [c for c in cols if c not in expected.columns] if "indicators" in parts or not indicators else []
    if missing or extra:
        parts_text = ([f"missing columns {missing}"] if missing else []) + ([f"unexpected columns {extra}"]
                                                                           if extra else [])
        return incorrect(case, f"your output has {' and '.join(parts_text)}; expected the input's columns"
                               + (" followed by one `<col>_missing` column per imputed column." if indicators else "."),
                         "wrong-columns")
    if "indicators" in parts and indicators and \
            max(cols.index(c) for c in X.columns) > min(cols.index(c) for c in indicators):
        return incorrect(case, "the `<col>_missing` indicator columns must come after all the input's columns "
                               "(appended at the end).", "indicator-position")
    for name in judged:
        failure = _judge_column(case, init_args, init_kwargs, fit, X, desc, cols, expected, name, variants,
                                indicators)
        if failure:
            return failure
    return None


def _judge_column(case, init_args, init_kwargs, fit, X, desc, cols, expected, name, variants, indicators):
    data = column(desc, name)
    if expected[name].dtype.kind in "OUST" or str(expected[name].dtype) in ("str", "string"):
        if data["kind"] != "text" or data["values"] != expected_text(expected[name]):
            return incorrect(case, f"column `{name}` was changed; leave columns you do not transform as they are.")
        return None
    got = numbers(data)
    exp = expected_numbers(expected[name])
    if got is None:
        return incorrect(case, f"column `{name}` should be numeric, got {data['kind']} values.")
    if name in indicators and not is_integer_dtype(desc["dtypes"][cols.index(name)]):
        return incorrect(case, f"indicator `{name}` has dtype {desc['dtypes'][cols.index(name)]}; the contract "
                               "asks for int 0/1 columns (.astype(int)).", "indicator-not-int")
    ok = same_numbers(got, exp)
    if ok.all():
        return None
    if name in indicators:
        if np.all(got == 0):
            return incorrect(case, f"indicator `{name}` is all zeros: record which values are missing *before* "
                                   "filling them.", "indicator-after-fill")
        return incorrect(case, f"indicator `{name}` is wrong in {int((~ok).sum())} rows: 1 where the value was "
                               "missing in the frame being transformed, else 0.")
    for mistake_id, message, fn in variants:
        try:
            alt = expected_numbers(fn(init_args, init_kwargs, fit, X)[name])
        except Exception:  # noqa: BLE001 - a variant that does not apply to this case
            continue
        if same_numbers(got, alt).all() and not same_numbers(alt, exp).all():
            return incorrect(case, message, mistake_id)
    if np.isnan(got[~ok]).any() and not np.isnan(exp[~ok]).any():
        return incorrect(case, f"column `{name}` still has missing values in "
                               f"{int((np.isnan(got) & ~np.isnan(exp)).sum())} rows after transform.", "nan-left")
    if name not in _transformed(init_args, init_kwargs):
        return incorrect(case, f"column `{name}` was changed; leave columns you do not transform as they are.")
    return incorrect(case, f"column `{name}` is wrong in {int((~ok).sum())} of {len(ok)} rows.")


def _transformed(init_args, init_kwargs):
    return list(init_args[0] if init_args else init_kwargs.get("cols", []))


def _fit_transform_run(case):
    """A case's args are (init_args, init_kwargs, fit frame, frames to transform): build, fit, transform each."""
    init_args, init_kwargs, fit, frames = case.args
    transforms = [(f"transform {j}", "transform", (X,)) for j, X in enumerate(frames)]
    return object_run(init_args, init_kwargs, [("fit", "fit", (fit,)), *transforms], required=("fit",))


def _fit_transform_args(target, cases):
    # returned frames are described in the sandbox (dtype names survive); inputs are checked for changes there
    return (target, [_fit_transform_run(c) for c in cases], safe_describe, same_frame)


fit_transform_check = checks_with(probe=object_runs, probe_args=_fit_transform_args, timeout=20.0)


# ------------------------------------------------------------------ generated cases (engine/domains.py)
def _fit_args(cols, param, fit, X):
    """A drawn case's args (cols, k or by, fit frame, frame to transform) in the hand-picked layout."""
    return (list(cols), param), {}, fit, [X]


def _as_fit_case(case):
    return dataclasses.replace(case, args=_fit_args(*case.args))


def fit_transform_generated(domain, judge, points, seed, **shrink):
    """The battery for a fit/transform exercise: cases drawn from ``domain`` (positions: the columns, the second
    constructor argument, the fit frame, the frame to transform), run and judged like the hand-picked ones.
    ``shrink``: the search's bounds (``shrink_probes``, ``shrink_choices``: engine/search.py)."""
    def judge_drawn(cases, observations):
        return judge([_as_fit_case(c) for c in cases], observations)

    def args_drawn(target, cases):
        return _fit_transform_args(target, [_as_fit_case(c) for c in cases])

    if hasattr(judge, "expect"):        # a kept oracle: the warm_up keeps the drawn cases' outputs too
        def expect(*args):
            return judge.expect(*_fit_args(*args))

        expect.oracle = judge.expect.oracle
        judge_drawn.expect = expect
    return generated(domain, judge_drawn, points, seed, probe=object_runs, probe_args=args_drawn, timeout=20.0,
                     **shrink)
