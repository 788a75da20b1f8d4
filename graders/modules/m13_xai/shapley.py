"""exact_shapley: interventional Shapley values by enumerating every coalition (d <= 8, <= 50 rows).

The reference enumerates the 2^d coalitions in the grading process, vectorised: v(S) is the mean
over background rows of f(x_S, b_rest). shap's ExactExplainer with an Independent masker over the
whole background is the oracle of the project's own tests (tests/modules/test_m13_xai.py), not of
grading (as the syllabus says).
"""
from __future__ import annotations

from math import factorial

import numpy as np

from graders.engine.compare import close
from graders.engine.judges import returns
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .common import MODULE_ID
from .helpers import Interactions


def _masks(d):
    return ((np.arange(2 ** d)[:, None] >> np.arange(d)) & 1).astype(bool)      # (2^d, d)


def coalition_values(f, x, background, empty=None):
    """v(S) for every coalition S (rows of _masks(d)): mean over background rows of f(x_S, b_rest)."""
    x, bg = np.asarray(x, dtype=float), np.asarray(background, dtype=float)
    masks = _masks(len(x))
    rows = np.where(masks[:, None, :], x[None, None, :], bg[None, :, :])           # (2^d, m, d)
    v = np.asarray(f(rows.reshape(-1, len(x))), dtype=float).reshape(len(masks), len(bg)).mean(axis=1)
    if empty is not None:
        v[0] = empty
    return masks, v


def _combine(masks, v, weight):
    d = masks.shape[1]
    index = {tuple(m): i for i, m in enumerate(masks)}
    phi = np.zeros(d)
    for i, m in enumerate(masks):
        s = int(m.sum())
        for j in np.flatnonzero(~m):
            with_j = m.copy()
            with_j[j] = True
            phi[j] += weight(s, d) * (v[index[tuple(with_j)]] - v[i])
    return phi


def shapley_weight(s, d):
    return factorial(s) * factorial(d - s - 1) / factorial(d)


def exact_shapley_ref(f, x, background):
    masks, v = coalition_values(f, x, background)
    return _combine(masks, v, shapley_weight)


def _mean_background(f, x, background):
    bg = np.asarray(background, dtype=float).mean(axis=0, keepdims=True)
    masks, v = coalition_values(f, x, bg)
    return _combine(masks, v, shapley_weight)


def _uniform(f, x, background):
    masks, v = coalition_values(f, x, background)
    return _combine(masks, v, lambda s, d: 1.0 / 2 ** (d - 1))


_OFF_BY_ONE = (lambda s, d: factorial(s) * factorial(d - s) / factorial(d),
               lambda s, d: factorial(s + 1) * factorial(d - s - 1) / factorial(d),
               lambda s, d: factorial(s) * factorial(d - s - 1) / factorial(d - 1),
               lambda s, d: factorial(s) * factorial(d - s) / factorial(d + 1))


def _off_by_one(case, obs, expected):
    f, x, bg = case.args
    masks, v = coalition_values(f, x, bg)
    got = obs.get("value")
    cmp = close()
    return any(cmp(got, _combine(masks, v, w)) is None for w in _OFF_BY_ONE)


def _mean_base(f, x, background):
    bg = np.asarray(background, dtype=float)
    masks, v = coalition_values(f, x, bg, empty=float(np.asarray(f(bg.mean(axis=0, keepdims=True)))[0]))
    return _combine(masks, v, shapley_weight)


MISTAKES = (
    Mistake("mean-background", "you replaced absent features by the background's mean row (one call of f): for a "
            "non-linear f that is not the average over background rows. v(S) is the mean over background rows b "
            "of f(x_S, b_rest)", variant=_mean_background),
    Mistake("uniform-weights", "you weighted every coalition equally: a coalition S of size s gets the Shapley "
            "weight s!(d-s-1)!/d!", variant=_uniform),
    Mistake("subset-size-off-by-one", "your coalition weights are off by one in the subset size: for S of size "
            "s (not counting the feature itself) the weight is s!(d-s-1)!/d!", detect=_off_by_one),
    Mistake("mean-base-value", "your base value is f(mean of the background) instead of the mean of f over the "
            "background rows: v(empty set) = mean over b of f(b), so that the values sum to f(x) - mean f(background)",
            variant=_mean_base),
)


def _case(rng, d, m, label):
    f = Interactions(rng.normal(size=d), rng.normal(size=(d, d)) * 0.7, c=1.2, u=rng.normal(size=d) * 0.8)
    x = rng.normal(size=d) * 1.5
    bg = rng.normal(size=(m, d))
    return Case((f, x, bg), {}, label)


def _example():
    rng = np.random.default_rng(0)
    return [_case(rng, 3, 10, "the notebook's example: d = 3 features, 10 background rows")]


def _cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, "exact_shapley", "random"))
    return [_case(rng, 4, 20, "a non-linear f with pairwise interactions, d = 4, 20 background rows"),
            _case(rng, 6, 35, "a non-linear f with pairwise interactions, d = 6, 35 background rows"),
            _case(rng, 8, 50, "a non-linear f with pairwise interactions, d = 8, 50 background rows"),
            _case(rng, 1, 5, "a single feature, 5 background rows")]


def _judge():
    return returns(exact_shapley_ref, close(), MISTAKES,
                   expect_text="the interventional Shapley values φ (d,), summing to f(x) - mean f(background)")


exact_shapley = Exercise(
    "exact_shapley",
    blocked=("shap",),
    skill="explainability",
    hints=(
        ("φ_i is feature i's marginal contribution v(S ∪ {i}) - v(S), averaged over coalitions S of the other "
        "features with weight |S|!(d-|S|-1)!/d!; v(S) averages f over background rows with x's features in S."),
        ("Enumerate every subset S of range(d) (itertools.combinations by size). For v(S), build a copy of the "
        "background with columns S set to x[S], call f once on it and take the mean."),
        ("`def v(S): Z = background.copy(); Z[:, list(S)] = x[list(S)]; return f(Z).mean()`; then "
        "`phi[i] += factorial(s)*factorial(d-s-1)/factorial(d) * (v(S + (i,)) - v(S))` over S not containing i"),
    ),
    checks=(
        Check("the example in the notebook", 2, _example, _judge()),
        Check("matches the exact Shapley values on random non-linear functions (d up to 8)", 8, _cases, _judge(),
              timeout=20.0),
    ),
)
