"""counterfactual_linear: the smallest L1 change reaching w·x' + b >= margin, within bounds, immutables fixed.

Graded by validity and cost (any optimal point passes), against the optimum of the linear programme
solved here with ``scipy.optimize.linprog`` (HiGHS): x' = x + u - v, u, v >= 0, minimise Σ(u + v). The optima
are kept per case (engine/kept_values.py): a grade after ``mlkata warm`` does not import scipy.optimize.
"""
from __future__ import annotations

import numpy as np

from graders.engine.judges import error_failure, incorrect
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Check, Exercise, seed_for

from .common import MODULE_ID, float_array, what

VALID_TOL = 1e-9
_CACHE: dict = {}


def optimal_cost(w, b, x, lower, upper, immutable=(), margin=0.0):
    """The optimal L1 cost, 0.0 when x is already valid, None when no point can reach the margin."""
    from scipy.optimize import linprog

    w, x = np.asarray(w, float), np.asarray(x, float)
    if w @ x + b >= margin:
        return 0.0
    d = len(w)
    fixed = np.zeros(d, bool)
    fixed[list(immutable)] = True
    up = np.where(fixed, 0.0, np.asarray(upper, float) - x)      # room to move up, per feature
    down = np.where(fixed, 0.0, x - np.asarray(lower, float))
    res = linprog(np.ones(2 * d), A_ub=-np.concatenate([w, -w])[None, :], b_ub=[w @ x + b - margin],
                  bounds=list(zip(np.zeros(2 * d), np.concatenate([up, down]))), method="highs")
    return float(res.fun) if res.status == 0 else None


ORACLE = kept_oracle(optimal_cost, f"{MODULE_ID}-counterfactual", ("scipy",))


def _cached_optimum(case):
    if id(case) not in _CACHE:
        _CACHE[id(case)] = (case, ORACLE(*case.args, **case.kwargs))
    return _CACHE[id(case)][1]


def _kw(case):
    w, b, x, lower, upper = case.args
    return (np.asarray(w, float), float(b), np.asarray(x, float), np.asarray(lower, float), np.asarray(upper, float),
            list(case.kwargs.get("immutable", ())), float(case.kwargs.get("margin", 0.0)))


def judge_counterfactual(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        w, b, x, lower, upper, immutable, margin = _kw(case)
        best = _cached_optimum(case)
        value = obs["value"]
        if best is None:
            if value is not None:
                return incorrect(case, "no point within the bounds (with the immutable features fixed) reaches the "
                                 "margin, so the answer must be None; you returned a point.", "not-none-when-impossible")
            continue
        if value is None:
            if best == 0.0:
                return incorrect(case, "x is already valid (w·x + b ≥ margin): return a copy of x, not None.",
                                 "valid-moved")
            return incorrect(case, "a counterfactual exists here but you returned None.", "none-when-possible")
        got = float_array(value)
        if got is None or got.shape != x.shape:
            return incorrect(case, f"expected a float array of shape {x.shape}, got {what(value)}.")
        if not np.all(np.isfinite(got)):
            return incorrect(case, "your point contains NaN or inf.")
        moved = np.abs(got - x) > 0
        if best == 0.0 and moved.any():
            return incorrect(case, "x is already valid (w·x + b ≥ margin), so the cheapest counterfactual is x "
                             "itself: return a copy of x unchanged.", "valid-moved")
        if immutable and np.any(got[immutable] != x[immutable]):
            return incorrect(case, "you changed an immutable feature: features listed in `immutable` must keep "
                             "exactly their value in x.", "immutable-changed")
        if np.any(got < lower - VALID_TOL) or np.any(got > upper + VALID_TOL):
            return incorrect(case, "your point leaves the box [lower, upper]: clip each feature's move at its "
                             "bound and take the rest of the change from the next feature.", "bounds-ignored")
        score = float(w @ got + b)
        if score < margin - VALID_TOL:
            if score >= margin - 1e-3 * max(1.0, np.abs(w).sum()) or abs(score) <= 1e-6:
                return incorrect(case, "your point stops just short of the margin (w·x' + b < margin): it must "
                                 "reach w·x' + b ≥ margin (solve for equality exactly, and do not stop at the "
                                 "decision boundary 0 when margin > 0).", "short-of-margin")
            return incorrect(case, "your point does not reach the margin: w·x' + b must be ≥ margin.")
        cost = float(np.abs(got - x).sum())
        if cost > best * (1 + 1e-6) + 1e-9:
            mutable = np.setdiff1d(np.arange(len(x)), immutable)
            if moved[mutable].all() and len(mutable) > 1:
                return incorrect(case, "you moved every feature a little (a step along w, the L2-closest point): "
                                 "the L1 cost is smallest when you move the features with the largest |w_i| "
                                 "first, each as far as its bound allows.", "l2-step")
            return incorrect(case, "your point is valid but not the cheapest: a point with a smaller L1 change "
                             "exists (move the features with the largest |w_i| first, up to their bounds).")
    return None


def _case(w, b, x, lower, upper, label, immutable=(), margin=0.0):
    kwargs = {}
    if immutable:
        kwargs["immutable"] = list(immutable)
    if margin:
        kwargs["margin"] = margin
    arr = lambda v: np.asarray(v, dtype=float)
    return Case((arr(w), float(b), arr(x), arr(lower), arr(upper)), kwargs, label)


def _example():
    return [_case([1.0, 2.0, -1.0], -3.0, [0.5, 0.2, 0.1], [-2, -2, -2], [2, 2, 2], "the notebook's example: "
                  "w = [1, 2, -1], b = -3, x = [0.5, 0.2, 0.1], bounds [-2, 2]")]


def _cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, "counterfactual_linear", "random"))
    d = 6
    w = rng.permutation(np.array([2.5, -1.7, 1.1, -0.6, 0.35, 0.9]))
    x = rng.uniform(-1, 1, size=d)
    lo, hi = x - rng.uniform(0.4, 1.2, size=d), x + rng.uniform(0.4, 1.2, size=d)
    top = int(np.argmax(np.abs(w)))
    score = float(w @ x)
    return [
        _case(w, -score - 2.0, x, lo, hi, "6 features, the top feature's bound binds before the margin is reached"),
        _case(w, -score - 3.0, x, lo, hi, "6 features, the feature with the largest |w| is immutable, margin = 0.5",
              immutable=[top], margin=0.5),
        _case(w, -score + 1.0, x, lo, hi, "x already on the valid side (w·x + b ≥ margin), margin = 0.25",
              margin=0.25),
        _case(w, -score - 40.0, x, lo, hi, "a margin that no point inside the bounds can reach"),
        _case(w, -score - 0.4, x, lo, hi, "6 features, a small move of one feature suffices, margin = 1.0",
              margin=1.0),
    ]


counterfactual_linear = Exercise(
    "counterfactual_linear",
    skill="trustworthy ML",
    hints=(
        ("For a linear score, the cheapest L1 change is a greedy one: every unit you move feature i buys |w_i| "
        "of score, so spend your budget on the features with the largest |w_i| first, up to their bounds."),
        ("gap = margin - (w·x + b); if gap <= 0 return x.copy(). Sort mutable features by |w_i| descending; move "
        "each in the direction sign(w_i) by min(gap / |w_i|, room to its bound); subtract what it bought."),
        ("`for i in sorted(mutable, key=lambda i: -abs(w[i])): room = (upper[i] - x[i]) if w[i] > 0 else (x[i] - "
        "lower[i]); step = min(gap / abs(w[i]), room); xp[i] += np.sign(w[i]) * step; gap -= abs(w[i]) * step`"),
    ),
    checks=(
        Check("the example in the notebook", 2, _example, judge_counterfactual),
        Check("valid, within bounds, immutables fixed and L1-optimal (against linprog); None only when impossible",
              8, _cases, judge_counterfactual),
    ),
)
