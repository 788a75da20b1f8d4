"""psi: quantile bins of `expected`, open outer bins, empty proportions floored at 1e-6."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric, describe
from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.judges import error_failure, once_per_case
from graders.engine.kept_values import kept_oracle
from graders.engine.results import Status
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Failure, seed_for

# The contract fixes "quantile edges of expected" but not the quantile definition, nor on which side of an
# interior edge a value equal to it falls. Every numpy quantile method with either side is accepted.
QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf", "averaged_inverted_cdf",
                    "closest_observation", "interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased",
                    "normal_unbiased")
PSI_RTOL = 1e-4


def _proportions(x, inner, side, n_bins):
    return np.bincount(np.searchsorted(inner, x, side=side), minlength=n_bins) / len(x)


def psi_ref(expected, actual, n_bins=10, method="linear", side="right", source=None, floor=1e-6):
    e, a = np.asarray(expected, dtype=float), np.asarray(actual, dtype=float)
    src = e if source is None else np.asarray(source, dtype=float)
    inner = np.quantile(src, np.linspace(0, 1, n_bins + 1)[1:-1], method=method)
    pe = np.maximum(_proportions(e, inner, side, n_bins), floor)
    pa = np.maximum(_proportions(a, inner, side, n_bins), floor)
    return float(np.sum((pa - pe) * np.log(pa / pe)))


def psi_family(expected, actual, n_bins=10):
    return np.array([psi_ref(expected, actual, n_bins, m, s) for m in QUANTILE_METHODS for s in ("left", "right")])


def _bins_from_actual(expected, actual, n_bins=10):
    return [psi_ref(expected, actual, n_bins, m, s, source=actual) for m in ("linear", "lower") for s in
            ("left", "right")]


def _uniform_width(expected, actual, n_bins=10):
    e, a = np.asarray(expected, dtype=float), np.asarray(actual, dtype=float)
    inner = np.linspace(e.min(), e.max(), n_bins + 1)[1:-1]
    pe = np.maximum(_proportions(e, inner, "right", n_bins), 1e-6)
    pa = np.maximum(_proportions(a, inner, "right", n_bins), 1e-6)
    return [float(np.sum((pa - pe) * np.log(pa / pe)))]


def _closed_outer(expected, actual, n_bins=10):
    e, a = np.asarray(expected, dtype=float), np.asarray(actual, dtype=float)
    edges = np.quantile(e, np.linspace(0, 1, n_bins + 1))
    pe = np.maximum(np.histogram(e, edges)[0] / len(e), 1e-6)
    counts = np.histogram(a, edges)[0]
    out = []
    for total in (len(a), max(counts.sum(), 1)):
        pa = np.maximum(counts / total, 1e-6)
        out.append(float(np.sum((pa - pe) * np.log(pa / pe))))
    return out


def _skip_empty(expected, actual, n_bins=10):
    e, a = np.asarray(expected, dtype=float), np.asarray(actual, dtype=float)
    out = []
    for side in ("left", "right"):
        inner = np.quantile(e, np.linspace(0, 1, n_bins + 1)[1:-1])
        pe, pa = _proportions(e, inner, side, n_bins), _proportions(a, inner, side, n_bins)
        ok = (pe > 0) & (pa > 0)
        out.append(float(np.sum((pa[ok] - pe[ok]) * np.log(pa[ok] / pe[ok]))))
    return out


PSI_MISTAKES = (
    ("bins-from-actual", "your bin edges come from `actual`; PSI measures the shift *from* the reference, so the "
     "edges are the quantiles of `expected`", _bins_from_actual),
    ("uniform-width-bins", "you used equal-width bins; psi uses quantile bins of `expected` (each holds about "
     "1/n_bins of it): np.quantile(expected, np.linspace(0, 1, n_bins + 1))", _uniform_width),
    ("closed-outer-bins", "values of `actual` outside the range of `expected` were dropped: the outer bins are "
     "open, (-inf, q1) and [q_{n-1}, inf)", _closed_outer),
    ("empty-bins-skipped", "you skipped empty bins; floor empty proportions at 1e-6 instead, so that a bin "
     "`actual` left empty still counts (heavily)", _skip_empty),
)


def _accepted(got, family, continuous):
    if np.any(np.isclose(got, family, rtol=PSI_RTOL, atol=1e-9)):
        return True
    return continuous and family.min() * (1 - PSI_RTOL) <= got <= family.max() * (1 + PSI_RTOL)


def _family_args(case) -> tuple:
    """expected, actual and n_bins of a case, as the judge calls the kept family with them."""
    expected, actual, *rest = case.args
    return expected, actual, rest[0] if rest else case.kwargs.get("n_bins", 10)


# 26 quantile binnings of the case's own data: once per case, not once per notebook graded (a class), and kept
# between grading runs (engine/kept_values.py): 0.1 s of every cold grade for its 22 cases
FAMILY = kept_oracle(psi_family, "05_evaluation-psi-family")
_family = once_per_case(lambda case: FAMILY(*_family_args(case)))


def judge_psi(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        got = as_numeric(obs["value"])
        if got is None or got.shape != ():
            return Failure(Status.INCORRECT, f"On {case.label}: expected a single number, got "
                           f"{describe(obs['value'])}.")
        got = float(got)
        if not np.isfinite(got):
            return Failure(Status.INCORRECT, f"On {case.label}: your PSI is {got}: an empty bin gave log(0) or a "
                           "division by 0. Floor every proportion at 1e-6 (np.maximum(p, 1e-6)) before taking "
                           "the log.", "log-of-zero")
        if _accepted(got, _family(case), "continuous" in case.tags):
            continue
        for mid, message, variant in PSI_MISTAKES:
            try:
                wrong = variant(*case.args, **case.kwargs)
            except Exception:  # noqa: BLE001 - a variant that does not apply here
                continue
            if np.any(np.isclose(got, wrong, rtol=PSI_RTOL, atol=1e-9)):
                return Failure(Status.INCORRECT, f"On {case.label}: {message}.", mid)
        if np.isclose(got, 100 * psi_ref(*case.args, **case.kwargs), rtol=PSI_RTOL):
            return Failure(Status.INCORRECT, f"On {case.label}: your PSI is 100 times too large: use proportions "
                           "(fractions), not percentages.", "percent-not-fraction")
        return Failure(Status.INCORRECT, f"On {case.label}: expected sum((a - e) * ln(a / e)) over quantile bins "
                       f"of `expected` (relative tolerance {PSI_RTOL:g}); yours differs.")
    return None


# the judge that calls the kept family, and what it calls it with (the module's warm_up keeps its outputs)
KEPT = {judge_psi: (FAMILY, _family_args)}


def _psi_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "psi", "quantiles"))
    e1, a1 = rng.normal(0, 1, 2001), rng.normal(0.3, 1.2, 1500)
    e2, a2 = rng.lognormal(0, 0.8, 1201), rng.lognormal(0.3, 0.8, 900)
    e3, a3 = rng.random(1001), rng.beta(2, 5, 800)
    same = rng.normal(5, 2, 503)
    cont = frozenset({"continuous"})
    return [Case((e1, a1), {}, "expected ~ N(0, 1) (2001 values), actual ~ N(0.3, 1.2) (1500 values)", cont),
            Case((e2.tolist(), a2.tolist()), {"n_bins": 5}, "skewed (lognormal) Python lists, n_bins=5", cont),
            Case((e3, a3), {"n_bins": 20}, "expected uniform on [0, 1], actual ~ Beta(2, 5), n_bins=20", cont),
            Case((same, same.copy()), {}, "actual identical to expected (PSI = 0)", cont)]


def _outer_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "psi", "outer"))
    cont = frozenset({"continuous"})
    return [Case((rng.random(1001), rng.uniform(0.5, 1.6, 700)), {}, "actual reaching far above the largest "
                 "expected value", cont),
            Case((rng.normal(0, 1, 801), rng.normal(-1.5, 2, 600)), {"n_bins": 8}, "actual reaching far below and "
                 "above the range of expected, n_bins=8", cont)]


def _empty_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "psi", "empty"))
    zeros = np.r_[np.zeros(400), rng.exponential(2.0, 601)]
    current = np.r_[np.zeros(60), rng.exponential(2.0, 440)]
    return [Case((rng.uniform(0, 10, 1001), rng.uniform(4.2, 4.8, 300)), {}, "actual concentrated in one narrow "
                 "range (most bins of actual are empty)", frozenset({"continuous"})),
            Case((zeros, current), {}, "expected with 40% zeros (repeated quantile edges, so some bins of expected "
                 "are empty)")]


def _example():
    rng = np.random.default_rng(0)
    ref = rng.normal(0, 1, 1000)
    cur = rng.normal(0.5, 1, 1000)
    cont = frozenset({"continuous"})
    return [Case((ref, cur), {}, "the notebook's ref ~ N(0, 1) and cur ~ N(0.5, 1), 1000 values each", cont),
            Case((ref, ref), {}, "psi(ref, ref) (the notebook's identical samples)", cont)]


# the contract's inputs: samples of 10 to 40 values (repeated values and repeated quantile edges are common on
# the grid), any scale, far from 0 (both at one location), n_bins 2 to 10; the judge accepts every quantile
# definition and either side of an edge, as for the hand-picked cases
PSI_DOMAIN = Domain(args=(Arrays(dims=("n",), offsets=(0.0, 1e6)), Arrays(dims=("m",), offsets=(0.0, 1e6))),
                    kwargs={"n_bins": (OMIT, 2, 4)}, names=("expected", "actual"),
                    dim_sizes={"n": (10, 40), "m": (10, 40)}, scales=(1e-3, 1.0, 1e3), same_offsets=True,
                    examples=12)

psi = Exercise(
    "psi",
    skill="evaluation",
    hints=(
        "PSI compares the share of `actual` in each bin with the share of `expected`; the bins are fixed by the "
        "reference, `expected`, so that each holds about 1/n_bins of it.",
        "Inner edges: np.quantile(expected, np.linspace(0, 1, n_bins + 1)[1:-1]); np.searchsorted(inner, x, "
        "side='right') gives each value's bin, open at both ends. Proportions per bin, floored at 1e-6, then "
        "sum((a - e) * ln(a / e)).",
        "`e = np.maximum(np.bincount(np.searchsorted(inner, expected, side='right'), minlength=n_bins) / "
        "len(expected), 1e-6)`; the same for `a`; `return np.sum((a - e) * np.log(a / e))`",
    ),
    checks=(
        Check("the examples in the notebook", 1, _example, judge_psi),
        Check("quantile bins of `expected`", 3, _psi_cases, judge_psi),
        Check("the outer bins are open", 2, _outer_cases, judge_psi),
        Check("empty bins are floored at 1e-6 (no log(0))", 3, _empty_cases, judge_psi),
        generated(PSI_DOMAIN, judge_psi, 1, seed_for("05_evaluation", "psi", "domain"), shrink_probes=32),
    ),
)
