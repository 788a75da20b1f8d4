"""paired_bootstrap_diff: graded statistically against a large-sample reference, plus seeding.

The metrics handed to learner code (helpers.accuracy, helpers.mean_absolute_error,
helpers.mean_absolute_percentage_error) are means of per-sample terms, so the reference bootstrap distribution is computed
here vectorised: a resample's metric difference is the mean of the per-sample
differences it draws (paired), or of two independent draws (the named mistake).
"""
from __future__ import annotations

import numpy as np

from graders.engine.batteries import deterministic
from graders.engine.compare import as_numeric, describe
from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.judges import error_failure, values_or_error
from graders.engine.kept_values import kept_oracle
from graders.engine.results import Status
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Failure, seed_for

from .helpers import accuracy, mean_absolute_error, mean_absolute_percentage_error

REF_RESAMPLES = 20_000
ENDPOINT_TOL = 0.05          # of the interval's width; Monte Carlo error at n_boot=4000 is about 1% of it
TOL_DRAWS = 4000             # the n_boot ENDPOINT_TOL is for
_CACHE: dict = {}


def _terms(metric, y, pred):
    if metric is accuracy:
        return (np.asarray(y) == np.asarray(pred)).astype(float)
    if metric is mean_absolute_error:
        return np.abs(np.asarray(y, dtype=float) - np.asarray(pred, dtype=float))
    if metric is mean_absolute_percentage_error:
        return np.abs(np.asarray(y, dtype=float) - np.asarray(pred, dtype=float)) / np.abs(np.asarray(y, dtype=float))
    raise ValueError(f"no per-sample form for {metric!r}")


def _resampled_means(terms, rng):
    """REF_RESAMPLES bootstrap means of `terms`; terms with few distinct values (accuracy) are resampled
    exactly and fast as multinomial counts of those values."""
    n = len(terms)
    values, counts = np.unique(terms, return_counts=True)
    if len(values) <= 5:
        return rng.multinomial(n, counts / n, size=REF_RESAMPLES) @ values / n
    out = np.empty(REF_RESAMPLES)
    for start in range(0, REF_RESAMPLES, 1000):
        out[start:start + 1000] = terms[rng.integers(0, n, size=(1000, n))].mean(axis=1)
    return out


def _distribution(case, paired=True, swapped=False):
    """The reference bootstrap distribution, cached by the data (a generated case's shrunk candidates are new
    objects: an id could be reused by another case once one is freed)."""
    y, a, b, metric = case.args[:4]
    key = (*(np.asarray(v).tobytes() + np.asarray(v).dtype.str.encode() for v in (y, a, b)), metric.__name__,
           paired, swapped)
    if key not in _CACHE:
        ta, tb = (_terms(metric, a, y), _terms(metric, b, y)) if swapped else (_terms(metric, y, a),
                                                                                _terms(metric, y, b))
        rng = np.random.default_rng(seed_for("05_evaluation", "paired_bootstrap_diff", "oracle", str(paired)))
        if paired:      # one resample of rows for both models: the mean of the per-row differences
            _CACHE[key] = _resampled_means(ta - tb, rng)
        else:           # the named mistake: each model on its own resample
            _CACHE[key] = _resampled_means(ta, rng) - _resampled_means(tb, rng)
    return _CACHE[key]


def _interval(case, paired=True, level=95.0, swapped=False):
    return np.percentile(_distribution(case, paired, swapped), [50 - level / 2, 50 + level / 2])


def reference_interval(y_true, pred_a, pred_b, metric):
    """The contract's 95% interval of metric(a) - metric(b): percentiles of the paired reference distribution."""
    return tuple(float(end) for end in _interval(Case((y_true, pred_a, pred_b, metric), {}, "")))


# kept between grading runs (engine/kept_values.py): the reference's 20,000 resamples of each case cost 0.2 s of
# every cold grade. The judge's other intervals (the named slips, on a wrong answer) and the generated cases'
# filter (`_stable`) compute theirs afresh
REFERENCE = kept_oracle(reference_interval, "05_evaluation-paired-bootstrap-interval")


def _pair(value):
    arr = as_numeric(value)
    if arr is None or arr.shape != (2,) or not np.all(np.isfinite(arr)):
        return None
    return arr.astype(float)


def _share_of_width(case):
    """ENDPOINT_TOL; a generated case run with fewer than TOL_DRAWS resamples gets the same number of Monte
    Carlo standard errors (they grow as 1/sqrt(n_boot))."""
    n_boot = case.kwargs.get("n_boot", 1000)
    return ENDPOINT_TOL * (np.sqrt(TOL_DRAWS / n_boot) if "generated" in case.tags and n_boot < TOL_DRAWS else 1.0)


def _tolerance(case, width):
    """Each endpoint's tolerance: its share of the interval's width, plus accuracy's step of 1/n."""
    step = 1.0 / len(case.args[0]) if case.args[3] is accuracy else 0.0   # accuracy moves in steps of 1/n
    return _share_of_width(case) * width + step


def _close_to(got, interval, tol):
    return abs(got[0] - interval[0]) <= tol and abs(got[1] - interval[1]) <= tol


def judge_interval(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        got = _pair(obs["value"])
        if got is None:
            return Failure(Status.INCORRECT, f"On {case.label}: expected a pair (lo, hi) of finite numbers, got "
                           f"{describe(obs['value'])}.")
        lo, hi = REFERENCE(*case.args[:4])
        tol = _tolerance(case, hi - lo)
        if _close_to(got, (lo, hi), tol):
            continue
        if got[1] - got[0] < 0.05 * (hi - lo):
            return Failure(Status.INCORRECT, f"On {case.label}: your interval has (almost) no width: resampling "
                           "without replacement only permutes the rows, so every resample gives the same "
                           "difference. Draw n indices with replacement (rng.integers(0, n, size=n)).",
                           "without-replacement")
        if _close_to(got, _interval(case, paired=False), tol):
            return Failure(Status.INCORRECT, f"On {case.label}: your interval is as wide as if the two models were "
                           "scored on *different* resamples: you resampled a and b independently. Draw one set of "
                           "indices per resample and use it for y_true, pred_a and pred_b together, so that the "
                           "difference is measured on the same rows (that pairing is what makes it precise).",
                           "independent-resampling")
        if _close_to(-got[::-1], (lo, hi), tol):
            return Failure(Status.INCORRECT, f"On {case.label}: your interval is for metric(b) - metric(a); the "
                           "contract asks for metric(a) - metric(b).", "b-minus-a")
        if case.args[3] is mean_absolute_percentage_error and _close_to(got, _interval(case, swapped=True), tol):
            return Failure(Status.INCORRECT, f"On {case.label}: you called metric(pred, y_true); a metric takes "
                           "(y_true, y_pred), and for an asymmetric one such as the mean absolute percentage error "
                           "the order changes the value.", "metric-arguments-swapped")
        if _close_to(got, _interval(case, level=90.0), tol):
            return Failure(Status.INCORRECT, f"On {case.label}: your interval is a 90% interval (percentiles 5 and "
                           "95); the 95% percentile interval uses percentiles 2.5 and 97.5.", "wrong-level")
        return Failure(Status.INCORRECT, f"On {case.label}: expected the 95% percentile bootstrap interval of "
                       f"metric(a) - metric(b) (each end within {_share_of_width(case):.0%} of the "
                       "interval's width of a large-sample reference); yours is further off.")
    return None


# the judge that calls the kept reference, and what it calls it with (the module's warm_up keeps its outputs)
KEPT = {judge_interval: (REFERENCE, lambda case: case.args[:4])}


def _read_intervals(cases, observations):
    """The three intervals, once each is a pair of finite numbers and the first has a width."""
    values = values_or_error(cases, observations)
    if isinstance(values, Failure):
        return values
    pairs = [_pair(v) for v in values]
    if any(p is None for p in pairs):
        return Failure(Status.INCORRECT, "expected a pair (lo, hi) of finite numbers from every call.")
    if pairs[0][1] - pairs[0][0] <= 1e-12:
        return Failure(Status.INCORRECT, "your interval has no width: resampling without replacement only permutes "
                       "the rows, so every resample gives the same difference. Draw n indices with replacement "
                       "(rng.integers(0, n, size=n)).", "without-replacement")
    return pairs


def _classifiers(rng, n, acc=0.8, agree=0.85):
    y = rng.integers(0, 3, size=n)
    right_a = rng.random(n) < acc
    a = np.where(right_a, y, (y + rng.integers(1, 3, size=n)) % 3)
    same = rng.random(n) < agree
    right_b = np.where(same, right_a, rng.random(n) < acc - 0.03)
    b = np.where(right_b, y, (y + rng.integers(1, 3, size=n)) % 3)
    return y, a, b


def _regressors(rng, n):
    y = rng.normal(10, 3, size=n)
    shared = rng.normal(0, 2, size=n)
    return y, y + shared + rng.normal(0, 0.3, size=n), y + 1.05 * shared + rng.normal(0, 0.3, size=n)


def _relative_errors(rng, n):
    y = rng.uniform(1, 20, size=n)
    shared = rng.normal(0, 0.3, size=n)          # correlated errors, so pairing matters here too
    return y, y * np.exp(shared - 0.1 + rng.normal(0, 0.05, size=n)), y * np.exp(shared + rng.normal(0, 0.05, size=n))


def _interval_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "paired_bootstrap_diff", "data"))
    y, a, b = _classifiers(rng, 1000)
    yr, ar, br = _regressors(rng, 400)
    return [Case((y, a, b, accuracy), {"n_boot": 4000, "seed": 1}, "two 3-class classifiers that agree on most of "
                 "1000 rows, metric = accuracy, n_boot=4000"),
            Case((yr, ar, br, mean_absolute_error), {"n_boot": 4000, "seed": 2}, "two regressors with strongly "
                 "correlated errors on 400 rows, metric = mean absolute error, n_boot=4000"),
            Case((*_relative_errors(rng, 300), mean_absolute_percentage_error), {"n_boot": 4000, "seed": 3},
                 "two regressors with multiplicative errors on 300 positive targets, metric = mean absolute "
                 "percentage error (asymmetric: metric(y_true, pred) differs from metric(pred, y_true)), n_boot=4000")]


def _example_cases():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500)
    a = np.where(rng.random(500) < 0.85, y, 1 - y)
    b = np.where(rng.random(500) < 0.9, a, 1 - a)
    return [Case((y, a, b, accuracy), {"n_boot": 2000}, "the notebook's example (500 rows, metric = accuracy, "
                 "n_boot=2000)")]


def _seed_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "paired_bootstrap_diff", "seed"))
    y, a, b = _regressors(rng, 150)
    return [Case((y, a, b, mean_absolute_error), {"n_boot": 300, "seed": s}, f"seed={s}") for s in (3, 3, 4)]


BOOT_DRAWS = 1000            # n_boot of the generated cases: the contract's default, a quarter of the hand-picked
                             # ones' cost (issue 24's budget), graded within as many standard errors (_tolerance)


def _stable(args, kwargs):
    """Well-posed for an interval graded within its tolerance (_tolerance): the two models differ on some row
    (else every resample gives the same difference: width 0, no tolerance), and the reference's endpoints
    move by at most the tolerance when the tail probability moves by 4 Monte Carlo standard errors of n_boot
    resamples (few rows give a lattice of differences: a jump at the 2.5% point would be decided by luck)."""
    case = Case(args, kwargs, "", frozenset({"generated"}))
    dist = _distribution(case)
    lo, hi = np.percentile(dist, [2.5, 97.5])
    tol = _tolerance(case, hi - lo)
    if not hi - lo > 0:
        return False
    for q in (0.025, 0.975):
        delta = 4 * np.sqrt(q * (1 - q) / kwargs["n_boot"]) + 1 / kwargs["n_boot"]
        at, below, above = np.percentile(dist, [100 * q, 100 * (q - delta), 100 * (q + delta)])
        if at - below > tol or above - at > tol:
            return False
    return True


# the contract's inputs: y_true, pred_a, pred_b of 2 to 40 rows, integer labels (1 to 4) or positive floats
# (each array either way), the three metrics handed to learner code, seed left out or not; n_boot=1000 (the
# tolerance is relative to the Monte Carlo error of n_boot draws); `_stable` keeps the well-posed ones
PAIRED_DOMAIN = Domain(args=(*[Arrays(dims=("n",), dtypes=("int64", "float64"), low=0.1, ints=(1, 4))] * 3,
                             (accuracy, mean_absolute_error, mean_absolute_percentage_error)),
                       kwargs={"n_boot": (BOOT_DRAWS,), "seed": (OMIT, 5)}, names=("y_true", "pred_a", "pred_b",
                                                                                  "metric"),
                       dim_sizes={"n": (2, 40)}, where=_stable, examples=4)


paired_bootstrap_diff = Exercise(
    "paired_bootstrap_diff",
    blocked=("scipy.stats.bootstrap",),
    skill="evaluation",
    hints=(
        "Both models were scored on the same rows, so resample *rows*: each bootstrap replicate draws n row "
        "indices with replacement and recomputes metric(a) - metric(b) on those rows.",
        "One generator from `seed`; n_boot times: idx = rng.integers(0, n, size=n); diff = metric(y[idx], "
        "a[idx]) - metric(y[idx], b[idx]). The interval is the 2.5th and 97.5th percentiles of the diffs.",
        "`rng = np.random.default_rng(seed); diffs = [metric(y[i], a[i]) - metric(y[i], b[i]) for i in "
        "(rng.integers(0, n, n) for _ in range(n_boot))]; return tuple(np.percentile(diffs, [2.5, 97.5]))`",
    ),
    checks=(
        Check("the example in the notebook", 2, _example_cases, judge_interval, timeout=20.0),
        Check("the 95% percentile interval of metric(a) - metric(b), rows resampled in pairs", 4, _interval_cases,
              judge_interval, timeout=30.0),
        deterministic(_seed_cases, points=3, title="same seed, same interval; another seed, another interval",
                      read=_read_intervals,
                      same="two calls with seed=3 gave different intervals: draw every resample from "
                           "`rng = np.random.default_rng(seed)`, not from the global random state.",
                      other="seeds 3 and 4 gave exactly the same interval: your resampling does not depend on `seed`."),
        generated(PAIRED_DOMAIN, judge_interval, 1, seed_for("05_evaluation", "paired_bootstrap_diff", "domain"),
                  timeout=30.0, shrink_probes=14),     # each probe resamples: up to 30 ms of the learner's code
    ),
)
