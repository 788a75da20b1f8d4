"""cost_optimal_threshold: graded by the cost the returned t achieves (predict positive when score >= t)."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric, describe
from graders.engine.domains import Arrays, Domain
from graders.engine.judges import error_failure
from graders.engine.results import Status
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Failure, Mistake, seed_for


def cost_at(y_true, scores, cost_fp, cost_fn, t, strict=False):
    y, s = np.asarray(y_true).astype(bool), np.asarray(scores, dtype=float)
    pred = s > t if strict else s >= t
    return cost_fp * np.sum(pred & ~y) + cost_fn * np.sum(~pred & y)


def best_cost(y_true, scores, cost_fp, cost_fn):
    """The minimum over every threshold: each distinct score, and +inf (nothing positive)."""
    candidates = np.r_[np.unique(np.asarray(scores, dtype=float)), np.inf]
    return min(cost_at(y_true, scores, cost_fp, cost_fn, t) for t in candidates)


MISTAKES = {
    "strict": Mistake("strict-inequality", "your threshold is optimal for 'positive when score > t', but the contract "
                      "predicts positive when score >= t: return the lowest score you want to call positive (or "
                      "any number between it and the next lower score)"),
    "swapped": Mistake("costs-swapped", "your threshold minimises the cost with cost_fp and cost_fn swapped: a false "
                       "positive costs cost_fp, a missed positive (false negative) costs cost_fn"),
    "extremes": Mistake("extremes-missing", "the best choice here is to predict every sample negative or every "
                        "sample positive: include a threshold above the highest score (e.g. inf) and one at the "
                        "lowest score among your candidates"),
    "returned-cost": Mistake("returned-cost", "you returned the minimum cost; return the threshold t that achieves "
                             "it"),
}


def _fail(case, mistake, extra=""):
    return Failure(Status.INCORRECT, f"On {case.label}: {mistake.message}{extra}.", mistake.id)


def judge_threshold(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        y, s, c_fp, c_fn = case.args
        got = as_numeric(obs["value"])
        if got is None or got.shape != () or np.isnan(float(got)):
            return Failure(Status.INCORRECT, f"On {case.label}: expected a single threshold t (a number), got "
                           f"{describe(obs['value'])}.")
        t = float(got)
        best = best_cost(y, s, c_fp, c_fn)
        mine = cost_at(y, s, c_fp, c_fn, t)
        if mine <= best * (1 + 1e-9) + 1e-12:
            continue
        if np.isclose(t, best) and not np.isin(t, s):
            return _fail(case, MISTAKES["returned-cost"])
        if cost_at(y, s, c_fp, c_fn, t, strict=True) <= best * (1 + 1e-9) + 1e-12:
            return _fail(case, MISTAKES["strict"])
        if c_fp != c_fn and cost_at(y, s, c_fn, c_fp, t) <= best_cost(y, s, c_fn, c_fp) * (1 + 1e-9) + 1e-12:
            return _fail(case, MISTAKES["swapped"])
        if "extreme" in case.tags:
            return _fail(case, MISTAKES["extremes"])
        return Failure(Status.INCORRECT, f"On {case.label}: your threshold costs {mine:g}, but a cheaper threshold "
                       f"exists. Try every distinct score as t (plus one above the highest score), compute "
                       "cost_fp * FP + cost_fn * FN for each, and keep the cheapest.", "not-optimal")
    return None


def _random_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "cost_optimal_threshold", "random"))
    y = (rng.random(300) < 0.1).astype(int)
    s = 1 / (1 + np.exp(-(rng.normal(size=300) * 1.5 + 2.0 * y - 1.5)))
    y2 = (rng.random(200) < 0.4).astype(int)
    s2 = rng.normal(size=200) * 3 + 2 * y2
    y3 = (rng.random(150) < 0.5).astype(int)
    s3 = np.round(rng.random(150) * 0.6 + 0.4 * y3, 1)
    return [Case((y, s, 1.0, 10.0), {}, "300 samples, 10% positives, cost_fp=1, cost_fn=10"),
            Case((y2, s2, 5.0, 1.0), {}, "scores that are not probabilities (from -10 to 12), cost_fp=5, cost_fn=1"),
            Case((y3, s3, 2.0, 3.0), {}, "scores rounded to one decimal (ties), cost_fp=2, cost_fn=3"),
            Case((y2.tolist(), s2.tolist(), 1, 1), {}, "Python lists, integer costs 1 and 1")]


def _inequality_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "cost_optimal_threshold", "inequality"))
    y = np.r_[np.zeros(40, int), np.ones(12, int)]
    s = np.r_[rng.uniform(0.0, 0.62, 40), rng.uniform(0.58, 1.0, 12)]
    perm = rng.permutation(52)
    return [Case((y[perm], s[perm], 1.0, 4.0), {}, "52 distinct scores, cost_fp=1, cost_fn=4"),
            Case((np.array([0, 1, 0, 1, 1]), np.array([0.2, 0.4, 0.3, 0.8, 0.6]), 1.0, 1.0), {},
                 "y_true = [0, 1, 0, 1, 1], scores = [0.2, 0.4, 0.3, 0.8, 0.6], equal costs")]


def _extreme_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "cost_optimal_threshold", "extremes"))
    y = (rng.random(60) < 0.3).astype(int)
    s = rng.random(60)
    y_none, y_all = y.copy(), y.copy()
    y_none[np.argmax(s)] = 0        # the top score is a negative: any positive call costs 100
    y_all[np.argmin(s)] = 1         # the lowest score is a positive: any negative call costs 100
    return [Case((y_none, s, 100.0, 1.0), {}, "cost_fp=100, cost_fn=1 (predicting nothing positive is best)",
                 frozenset({"extreme"})),
            Case((y_all, s, 1.0, 100.0), {}, "cost_fp=1, cost_fn=100 (predicting everything positive is best)",
                 frozenset({"extreme"}))]


# the contract's inputs: 0/1 labels (one class only too), any length >= 1, float scores at scales 1e-3 to 1e3
# (neighbouring scores 1e-9 apart at the smallest) and integer scores (ties), unequal and equal costs
THRESHOLD_DOMAIN = Domain(args=(Arrays(dims=("n",), dtypes=("int64",), ints=(0, 1)),
                                Arrays(dims=("n",), dtypes=("float64", "int64"), ints=(-3, 3)),
                                (1.0, 3.0), (1.0, 10.0)),
                          names=("y_true", "scores", "cost_fp", "cost_fn"), dim_sizes={"n": (1, 12)},
                          scales=(1e-3, 1.0, 1e3), examples=24)

cost_optimal_threshold = Exercise(
    "cost_optimal_threshold",
    skill="evaluation",
    hints=(
        "Only the order of the scores matters: moving t between two neighbouring distinct scores changes nothing. "
        "So try t = each distinct score, and t = inf for 'nothing positive'.",
        "For each candidate t: pred = scores >= t; FP = sum(pred & (y == 0)); FN = sum(~pred & (y == 1)); "
        "cost = cost_fp * FP + cost_fn * FN. Return the candidate with the lowest cost.",
        "`cands = np.r_[np.unique(scores), np.inf]`; `costs = [cost_fp * np.sum((scores >= t) & (y == 0)) + "
        "cost_fn * np.sum((scores < t) & (y == 1)) for t in cands]`; `return cands[np.argmin(costs)]`",
    ),
    checks=(
        Check("the example in the notebook", 2,
              [Case((np.array([0, 0, 1, 1, 0, 1]), np.array([0.1, 0.3, 0.35, 0.6, 0.7, 0.9]), 1.0, 5.0), {},
                    "y_true = [0, 0, 1, 1, 0, 1], scores = [0.1, 0.3, 0.35, 0.6, 0.7, 0.9], cost_fp=1, cost_fn=5")],
              judge_threshold),
        Check("minimises cost_fp * FP + cost_fn * FN", 3, _random_cases, judge_threshold),
        Check("predicts positive when score >= t", 2, _inequality_cases, judge_threshold),
        Check("predicting all negative or all positive can be cheapest", 2, _extreme_cases, judge_threshold),
        generated(THRESHOLD_DOMAIN, judge_threshold, 1, seed_for("05_evaluation", "cost_optimal_threshold", "domain")),
    ),
)
