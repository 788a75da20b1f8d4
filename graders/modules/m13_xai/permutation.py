"""permutation_importance: score drops (baseline - permuted), graded statistically against sklearn.

Pinned: per-feature means over 30 repeats within 4 combined standard errors of
``sklearn.inspection.permutation_importance`` (computed here, once per case), exact zeros for
features the model ignores, X bit-for-bit unchanged, same seed -> same result. sklearn's outputs are kept
per case (engine/kept_values.py): a grade after ``mlkata warm`` does not import scikit-learn.
"""
from __future__ import annotations

import numpy as np

from graders.engine.batteries import deterministic
from graders.engine.judges import error_failure, incorrect, unchanged_inputs
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Check, Exercise, seed_for

from .common import MODULE_ID, float_array, what
from .helpers import LinearModel, neg_mse, r2

N_REPEATS = 30
_CACHE: dict = {}
RESTORE = ("the drops of later features are inflated: after permuting a column you did not restore it, so later "
           "features were scored on data already shuffled. Permute one column at a time on a fresh copy (or put "
           "the column back).")


def sklearn_importances(model, X, y, scorer, n_repeats=5, seed=0):
    from sklearn.inspection import permutation_importance as sk

    return sk(model, X, y, scoring=scorer, n_repeats=n_repeats, random_state=seed).importances


def reference_importances(model, X, y, scorer, n_repeats=5, seed=0):
    """sklearn's drops for a case, always drawn with the grader's seed 12345 whatever seed the case passes (the
    comparison is statistical: means within 4 standard errors); ``seed`` is taken so that a case's own
    arguments call it, as engine/kept_values.keep_outputs does."""
    return sklearn_importances(model, X, y, scorer, n_repeats, seed=12345)


ORACLE = kept_oracle(reference_importances, f"{MODULE_ID}-permutation-importance", ("scikit-learn",))


def not_restored(model, X, y, scorer, n_repeats=5, seed=0):
    """The mistake: one working copy shuffled column after column and never put back."""
    rng = np.random.default_rng(seed)
    Xw = np.array(X, dtype=float)
    base = scorer(model, X, y)
    out = np.zeros((Xw.shape[1], n_repeats))
    for j in range(Xw.shape[1]):
        for r in range(n_repeats):
            Xw[:, j] = Xw[rng.permutation(len(Xw)), j]
            out[j, r] = base - scorer(model, Xw, y)
    return out


def _reference(case, variant=None):
    key = (id(case), variant)
    if key not in _CACHE:
        value = ORACLE(*case.args, **case.kwargs) if variant is None else \
            variant(*case.args, **{**case.kwargs, "seed": 12345})
        _CACHE[key] = (case, value)
    return _CACHE[key][1]


def _agrees(got, ref) -> bool:
    n_g, n_r = got.shape[1], ref.shape[1]
    se = np.sqrt(got.var(axis=1, ddof=1) / n_g + ref.var(axis=1, ddof=1) / n_r)
    return bool(np.all(np.abs(got.mean(axis=1) - ref.mean(axis=1)) <= 4 * se + 1e-12))


def judge_importances(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        got = float_array(obs["value"])
        d, reps = case.args[1].shape[1], case.kwargs["n_repeats"]
        if got is None or got.shape != (d, reps):
            return incorrect(case, f"expected a numpy array of shape (n_features, n_repeats) = ({d}, {reps}) of "
                             f"score drops, got {what(obs['value'])}.")
        if not np.all(np.isfinite(got)):
            return incorrect(case, "your importances contain NaN or inf.")
        ref = _reference(case)
        ignored = np.flatnonzero(case.extra["ignored"])
        nonzero = [j for j in ignored if np.any(got[j] != 0.0)]
        if nonzero:
            if nonzero[0] > 0 and all(np.all(got[j] == 0.0) for j in ignored if j < nonzero[0]) \
                    and np.all(got[nonzero] > 0):
                # an ignored feature scored after others has positive drops, one scored first has none: the
                # earlier columns stayed shuffled
                return incorrect(case, RESTORE, "column-not-restored")
            return incorrect(case, "the model ignores some features, so permuting them cannot change the score: "
                             "their drops must be exactly 0. Score every permutation against the baseline score "
                             "of the *unpermuted* data, with the other columns left as they were.", "ignored-not-zero")
        if _agrees(got, ref):
            continue
        active = np.setdiff1d(np.arange(d), ignored)
        if np.all(np.ptp(got[active], axis=1) == 0) and np.any(np.ptp(ref[active], axis=1) > 0):
            return incorrect(case, "every repeat of a feature gave exactly the same drop: you reused one "
                             "permutation for all repeats. Draw a fresh permutation for each repeat.",
                             "one-permutation")
        if _agrees(-got, ref):
            return incorrect(case, "your drops have the wrong sign: importance is baseline score minus permuted "
                             "score (the scorer is greater-is-better, so an important feature gives a positive "
                             "drop).", "sign-reversed")
        if _agrees(got, _reference(case, not_restored)):
            return incorrect(case, RESTORE, "column-not-restored")
        return incorrect(case, f"expected per-feature mean drops that agree with a reference implementation within "
                         f"4 standard errors over {reps} repeats; yours do not (is each drop baseline score minus "
                         "the score with one column permuted?).")
    return None


def _data(rng, n, coef, bend=0.0, noise=0.3):
    d = len(coef)
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d)
    model = LinearModel(coef, intercept=rng.normal(), bend=bend)
    y = model.predict(X) + noise * rng.normal(size=n)
    return model, X, y


def _cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, "permutation_importance", "stat"))
    model, X, y = _data(rng, 250, [1.5, 0.0, -2.0, 0.7, 0.0], bend=1.0)
    model2, X2, y2 = _data(rng, 180, [0.0, 0.8, 1.2, -0.4, 0.0], noise=0.5)
    return [
        Case((model2, X2, y2, r2), {"n_repeats": N_REPEATS, "seed": 11},
             "a (180, 5) X, a linear model that ignores features 0 and 4, scorer = R², n_repeats=30",
             extra={"ignored": np.array([True, False, False, False, True])}),
        Case((model, X, y, neg_mse), {"n_repeats": N_REPEATS, "seed": 7},
             "a (250, 5) X, a model that ignores features 1 and 4, scorer = minus the MSE, n_repeats=30",
             extra={"ignored": np.array([False, True, False, False, True])}),
    ]


def _mutation_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, "permutation_importance", "mutation"))
    model, X, y = _data(rng, 60, [1.0, -1.0, 0.5])
    return [Case((model, X, y, neg_mse), {"n_repeats": 3, "seed": 0}, "a (60, 3) X, n_repeats=3")]


def _seed_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, "permutation_importance", "seed"))
    model, X, y = _data(rng, 80, [1.0, 2.0, -1.0])
    return [Case((model, X, y, neg_mse), {"n_repeats": 4, "seed": s}, f"seed={s}") for s in (3, 3, 4)]


permutation_importance = Exercise(
    "permutation_importance",
    blocked=("sklearn.inspection",),
    skill="explainability",
    hints=(
        ("A feature matters as much as the score falls when its column is shuffled: the shuffle breaks the link "
        "between that feature and the target while keeping its distribution."),
        ("Baseline = scorer(model, X, y). For each feature j and each repeat r: copy X, permute column j with "
        "a fresh `rng.permutation(n)`, and record baseline - scorer(model, X_perm, y)."),
        ("`rng = np.random.default_rng(seed); base = scorer(model, X, y); for j in range(d): for r in "
        "range(n_repeats): Xp = X.copy(); Xp[:, j] = X[rng.permutation(n), j]; out[j, r] = base - "
        "scorer(model, Xp, y)`"),
    ),
    checks=(
        Check("per-feature drops agree with a reference statistically; ignored features exactly 0", 6, _cases,
              judge_importances, timeout=20.0),
        Check("X is bit-for-bit unchanged", 2, _mutation_cases,
              unchanged_inputs((1,), mistake_id="column-not-restored", message="you permuted X's columns in place "
                               "and did not restore them: later features were scored on already-shuffled data and "
                               "the caller's X changed. Permute a copy"), keep_args=True, gated=True),
        deterministic(*_seed_cases(), points=2),
    ),
)
