"""ks_drift: scipy's two-sample Kolmogorov-Smirnov test and a decision at level alpha."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric, close, describe, each
from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.results import Status
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Failure, Mistake, seed_for


def scipy_ks(ref, cur, **options):
    """(statistic, p-value) of scipy's two-sample KS test."""
    import scipy.stats  # imported only where the output is not kept

    r = scipy.stats.ks_2samp(ref, cur, **options)
    return float(r.statistic), float(r.pvalue)


# kept between grading runs (engine/kept_values.py), for DriftMonitor's columns too: a grade after
# `mlkata warm` imports no scipy
KS = kept_oracle(scipy_ks, "05_evaluation-ks-2samp", ("scipy",))


def ks_ref(ref, cur, alpha=0.05):
    statistic, p = KS(ref, cur)
    return statistic, p, bool(p < alpha)


def _bool():
    def compare(got, expected):
        if isinstance(got, (bool, np.bool_)):
            return None if bool(got) == expected else f"got {bool(got)}"
        return f"expected True or False, got {describe(got)}"

    return compare


def _one_sided(case, obs, expected):
    got = obs.get("value")
    if not isinstance(got, (tuple, list)) or len(got) != 3 or as_numeric(got[1]) is None:
        return False
    p = float(np.asarray(as_numeric(got[1])).ravel()[0])
    ref, cur = case.args[:2]
    return any(np.isclose(p, scipy_ks(ref, cur, alternative=alt)[1], rtol=1e-6)
               for alt in ("less", "greater")) and not np.isclose(p, expected[1], rtol=1e-6)


def _with_decision(rule):
    def variant(ref, cur, alpha=0.05):
        stat, p, _ = ks_ref(ref, cur, alpha)
        return stat, p, rule(stat, p, alpha)

    return variant


KS_MISTAKES = (
    Mistake("drift-inverted", "your `drifted` is the wrong way round: a small p-value is evidence of drift, so "
            "drifted = p_value < alpha", variant=_with_decision(lambda s, p, a: p >= a)),
    Mistake("statistic-vs-alpha", "you compared the KS statistic with alpha; alpha is a threshold for the "
            "p-value: drifted = p_value < alpha", variant=_with_decision(lambda s, p, a: s > a)),
    Mistake("alpha-ignored", "you ignored `alpha` (your decisions match alpha = 0.05)",
            variant=_with_decision(lambda s, p, a: p < 0.05)),
    Mistake("one-sided", "your p-value is one-sided; drift in either direction counts, so use the two-sided test "
            "(scipy's default)", detect=_one_sided),
    Mistake("asymptotic-p", "your p-value comes from the asymptotic distribution; for small samples scipy's "
            "default (method='auto') computes the exact one",
            variant=lambda r, c, alpha=0.05: _asymp(r, c, alpha)),
)


def _asymp(ref, cur, alpha):
    statistic, p = scipy_ks(ref, cur, method="asymp")
    return statistic, p, bool(p < alpha)


def samples_between(lo, hi, n, m, key):
    """Samples whose KS p-value lies in (lo, hi): decisions then depend on alpha, far from any knife edge."""
    rng = np.random.default_rng(seed_for("05_evaluation", "ks_drift", key))
    while True:
        ref, cur = rng.normal(0, 1, n), rng.normal(0.35, 1, m)
        if lo < scipy_ks(ref, cur)[1] < hi:
            return ref, cur


# it tests pair after pair with scipy until one fits: the pair is kept like an oracle's output (no scipy in a grade)
_p_between = kept_oracle(samples_between, "05_evaluation-ks-decision-samples", ("scipy",))


def _ks_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "ks_drift", "match"))
    return [Case((rng.normal(0, 1, 80), rng.normal(0.2, 1, 60)), {}, "two small normal samples (80 and 60 values)"),
            Case((rng.normal(0, 1, 3000), rng.normal(0.05, 1.1, 2500)), {}, "two large samples (3000 and 2500)"),
            Case((rng.poisson(3, 200), rng.poisson(3.4, 150)), {}, "integer counts with many ties"),
            Case((rng.random(30).tolist(), (rng.random(25) + 0.2).tolist()), {}, "Python lists of 30 and 25 values")]


def _decision_cases():
    r1, c1 = _p_between(0.015, 0.045, 120, 100, "mid")
    r2, c2 = _p_between(0.06, 0.09, 150, 90, "upper")
    return [Case((r1, c1), {"alpha": 0.01}, "a p-value between 0.01 and 0.05, alpha=0.01"),
            Case((r1, c1), {"alpha": 0.05}, "a p-value between 0.01 and 0.05, alpha=0.05"),
            Case((r2, c2), {"alpha": 0.1}, "a p-value between 0.05 and 0.1, alpha=0.1"),
            Case((r2, c2), {}, "a p-value between 0.05 and 0.1, default alpha")]


_PER_CASE = returns(ks_ref, each(close(), close(), _bool(), names=("statistic", "p_value", "drifted")), KS_MISTAKES,
                   expect_text="(statistic, p_value, drifted) from scipy's two-sided ks_2samp")
DECISION_RULES = [(m, m.variant) for m in KS_MISTAKES if m.id in ("drift-inverted", "statistic-vs-alpha",
                                                                    "alpha-ignored")]


def judge_ks(cases, observations):
    """A wrong decision rule is named by what explains *all* the decisions: one bool per case cannot tell
    'inverted' from 'alpha ignored', the set of cases can."""
    failure = _PER_CASE(cases, observations)
    if failure is None or failure.mistake not in {m.id for m, _ in DECISION_RULES}:
        return failure
    decisions = []
    for obs in observations:
        got = obs.get("value")
        if not isinstance(got, (tuple, list)) or len(got) != 3 or not isinstance(got[2], (bool, np.bool_)):
            return failure
        decisions.append(bool(got[2]))
    for mistake, rule in DECISION_RULES:
        if all(rule(*c.args, **c.kwargs)[2] == d for c, d in zip(cases, decisions)):
            return Failure(Status.INCORRECT, f"On {cases[0].label} and the other cases: {mistake.message}.",
                           mistake.id)
    return failure


# the judge that compares with the kept KS test (spec's warm_up keeps its outputs for every case)
KEPT = {judge_ks: ks_ref}

# the contract's inputs: two samples of 1 to 25 values (exact p-values at these sizes), float or integer (ties),
# any scale, alpha left out, 0.01 or 0.1
KS_DOMAIN = Domain(args=(Arrays(dims=("n",), dtypes=("float64", "int64")), Arrays(dims=("m",), dtypes=("float64", "int64"))),
                   kwargs={"alpha": (OMIT, 0.01, 0.1)}, names=("ref", "cur"), dim_sizes={"n": (1, 25), "m": (1, 25)},
                   scales=(1e-3, 1e3), examples=16)

ks_drift = Exercise(
    "ks_drift",
    skill="evaluation",
    hints=(
        "The two-sample Kolmogorov-Smirnov test compares two empirical distribution functions; its statistic is "
        "their largest vertical gap.",
        "scipy.stats.ks_2samp(ref, cur) is allowed here: return its statistic, its p-value, and whether the "
        "p-value is below alpha.",
        "`r = scipy.stats.ks_2samp(ref, cur); return r.statistic, r.pvalue, r.pvalue < alpha`",
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case((np.linspace(0, 1, 50), np.linspace(0.3, 1.3, 40)), {},
                    "ref = np.linspace(0, 1, 50), cur = np.linspace(0.3, 1.3, 40)")], judge_ks),
        Check("statistic and p-value match scipy's ks_2samp", 1, _ks_cases, judge_ks),
        Check("drifted means p_value < alpha", 2, _decision_cases, judge_ks),
        generated(KS_DOMAIN, judge_ks, 1, seed_for("05_evaluation", "ks_drift", "domain")),
    ),
)
