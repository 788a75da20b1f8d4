"""partial_dependence: (pd (G,), ice (n, G)) on a grid used as given; sklearn's brute-force PD is the oracle.

Its outputs are kept per case (engine/kept_values.py): a grade after ``mlkata warm`` does not import
scikit-learn (0.8 s of a cold grade)."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import close
from graders.engine.judges import incorrect, returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .common import MODULE_ID, float_array, to_numpy, what
from .helpers import Interactions


def _wrapped(predict):
    from sklearn.base import BaseEstimator, RegressorMixin

    class Wrapped(RegressorMixin, BaseEstimator):
        def __init__(self, fn=None):
            self.fn = fn

        def fit(self, X, y=None):
            self.fitted_ = True
            return self

        def predict(self, X):
            return self.fn(X)

    return Wrapped(predict).fit(None)


def partial_dependence_ref(predict, X, feature, grid):
    from sklearn.inspection import partial_dependence as sk

    grid = np.asarray(grid, dtype=float)
    out = sk(_wrapped(predict), np.asarray(X, dtype=float), [feature], kind="both", method="brute",
             custom_values={feature: grid})
    return out["average"][0], out["individual"][0]


ORACLE = kept_oracle(partial_dependence_ref, f"{MODULE_ID}-partial-dependence", ("scikit-learn",))


def _ice(predict, X, feature, grid):
    X = np.array(X, dtype=float)
    cols = []
    for g in grid:
        Z = X.copy()
        Z[:, feature] = g
        cols.append(predict(Z))
    return np.stack(cols, axis=1)


def _at_mean_row(predict, X, feature, grid):
    _pd, ice = ORACLE(predict, X, feature, grid)
    row = np.asarray(X, dtype=float).mean(axis=0, keepdims=True)
    return _ice(predict, row, feature, grid)[0], ice


def _transposed(predict, X, feature, grid):
    pd, ice = ORACLE(predict, X, feature, grid)
    return pd, ice.T


def _own_grid(case, obs, expected):
    value = to_numpy(obs.get("value"))
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        return False
    pd = float_array(value[0])
    predict, X, feature, grid = case.args
    if pd is None or pd.ndim != 1:
        return False
    col = np.asarray(X, dtype=float)[:, feature]
    candidates = [np.unique(col), col, np.percentile(col, np.linspace(5, 95, len(grid))),
                  np.linspace(col.min(), col.max(), len(grid))]
    cmp = close()
    return any(len(c) == len(pd) and cmp(pd, _ice(predict, X, feature, c).mean(axis=0)) is None for c in candidates)


MISTAKES = (
    Mistake("pd-at-mean-row", "you evaluated the model at the mean row instead of averaging predictions: PD at a "
            "grid value is the mean over all rows of the prediction with the feature set to that value (the mean "
            "of the ICE curves)", variant=_at_mean_row),
    Mistake("ice-transposed", "your ICE array is transposed: it must be (n, G), one row per sample and one column per "
            "grid value", variant=_transposed),
    Mistake("own-grid", "you replaced the grid by values taken from the data: evaluate at exactly the `grid` you "
            "were given, in its order", detect=_own_grid),
)


def _pair(compare):
    def cmp(got, expected):
        got = to_numpy(got)
        if not (isinstance(got, (tuple, list)) and len(got) == 2):
            return f"expected a pair (pd, ice), got {what(got)}"
        for name, g, e in zip(("pd", "ice"), got, expected):
            problem = compare(g, e)
            if problem is not None:
                return f"in `{name}`: {problem}"
        return None

    return cmp


def _case(rng, n, d, grid, feature, label):
    f = Interactions(rng.normal(size=d), rng.normal(size=(d, d)) * 0.6, c=1.0, u=rng.normal(size=d))
    X = rng.normal(size=(n, d)) * 1.3
    return Case((f, X, feature, np.asarray(grid, dtype=float)), {}, label)


def _example():
    rng = np.random.default_rng(0)
    return [_case(rng, 20, 3, [-1.0, 0.0, 1.0, 2.0], 0, "the notebook's example: 20 rows, 3 features, feature 0, "
                  "a grid of 4 values")]


def _cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, "partial_dependence", "random"))
    return [_case(rng, 40, 4, [0.5, -2.0, 1.5, 3.0, -0.25], 2, "40 rows, 4 features, feature 2, an unsorted grid of "
                  "5 values outside the data's range too"),
            _case(rng, 25, 5, np.linspace(-2, 2, 9), 4, "25 rows, 5 features, the last feature, a grid of 9 values"),
            _case(rng, 7, 3, [0.0, 1.0], 1, "7 rows, 3 features, feature 1, a grid of 2 values")]


def _mutation_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, "partial_dependence", "mutation"))
    return [_case(rng, 12, 3, [-1.0, 0.5, 2.0], 1, "12 rows, 3 features, feature 1, a grid of 3 values")]


JUDGE = returns(ORACLE, _pair(close()), MISTAKES,
                expect_text="pd (G,) = the mean over rows of the ICE curves and ice (n, G)")


def _not_mutated_judge(cases, observations):
    from graders.engine.judges import error_failure

    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        after = obs.get("args_after", [])
        got = after[1] if len(after) > 1 else None
        before = case.args[1]
        if not isinstance(got, np.ndarray) or got.shape != before.shape or got.tobytes() != before.tobytes():
            return incorrect(case, "you overwrote the feature's column of the caller's X: set the grid value on a "
                             "copy of X.", "mutates-input")
    return None


partial_dependence = Exercise(
    "partial_dependence",
    blocked=("sklearn.inspection",),
    skill="explainability",
    hints=(
        ("An ICE curve follows one row as the chosen feature sweeps the grid; the partial dependence is the "
        "average of the ICE curves (average predictions, not the prediction at the average row)."),
        ("For each grid value g: copy X, set column `feature` to g, predict; that is one column of ice. Then pd = "
        "ice.mean(axis=0)."),
        ("`ice = np.stack([predict(np.where(np.arange(X.shape[1]) == feature, g, X)) for g in grid], axis=1); "
        "return ice.mean(axis=0), ice`"),
    ),
    checks=(
        Check("the example in the notebook", 2, _example, JUDGE),
        Check("matches sklearn's brute-force partial dependence and ICE on the given grid", 6, _cases, JUDGE),
        Check("X is unchanged", 2, _mutation_cases, _not_mutated_judge, keep_args=True, gated=True),
    ),
)
