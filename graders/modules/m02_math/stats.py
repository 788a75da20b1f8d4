"""bootstrap_ci, gaussian_mle / gaussian_log_likelihood, welch_ttest."""
from __future__ import annotations

import numpy as np

from graders.engine.batteries import deterministic
from graders.engine.compare import as_numeric, close, each
from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.judges import error_failure, returns, values_or_error
from graders.engine.kept_values import kept_oracle
from graders.engine.results import Status
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Failure, Mistake, arr_label, seed_for

from .helpers import sample_mean, trimmed_mean

# ------------------------------------------------------------------ bootstrap
REF_RESAMPLES = 50_000
ENDPOINT_TOL = 0.045       # of the interval's width; the Monte Carlo error at n_boot=8000 is about 0.8%
_REF_CACHE: dict = {}


def _boot_distribution(x, stat):
    key = (x.tobytes(), x.dtype.str, stat.__name__)
    if key not in _REF_CACHE:
        rng = np.random.default_rng(seed_for("02_math", "bootstrap_ci", "oracle"))
        stats = np.empty(REF_RESAMPLES)
        for start in range(0, REF_RESAMPLES, 5000):
            idx = rng.integers(0, len(x), size=(5000, len(x)))
            stats[start:start + 5000] = _each_row(stat, x[idx])
        _REF_CACHE[key] = stats
    return _REF_CACHE[key]


def _each_row(stat, resamples):
    """stat of every row. The cases' two statistics are computed for all rows at once (the same values
    up to rounding): 150,000 calls one by one were a second of every cold grade."""
    if stat is sample_mean:
        return resamples.mean(axis=1)
    if stat is trimmed_mean:
        cut = int(0.1 * resamples.shape[1])
        return np.sort(resamples, axis=1)[:, cut:resamples.shape[1] - cut].mean(axis=1)
    return [stat(row) for row in resamples]


def percentile_interval(x, stat, alpha):
    """The reference's percentile interval of ``stat`` over REF_RESAMPLES resamples of ``x``."""
    return np.percentile(_boot_distribution(x, stat), [100 * alpha / 2, 100 * (1 - alpha / 2)])


# kept between grading runs (engine/kept_values.py): the reference's 50,000 resamples of a case were a sixth of
# a cold grade. The judges use it; the generated cases' filter (`_stable`) computes afresh what it rejects
_interval = kept_oracle(percentile_interval, "02_math-bootstrap-interval")


def _interval_args(case: Case) -> tuple:
    """x, stat and alpha of a case, as the judges call the reference with them."""
    x, stat = case.args[:2]
    return x, stat, case.args[3] if len(case.args) > 3 else case.kwargs.get("alpha", 0.05)


def _pair(value):
    arr = as_numeric(value)
    if arr is None or arr.shape != (2,) or not np.all(np.isfinite(arr)):
        return None
    return arr.astype(float)


def _judge_interval(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        x, stat, alpha = _interval_args(case)
        got = _pair(obs["value"])
        if got is None:
            return Failure(Status.INCORRECT, f"On {case.label}: expected a pair (lo, hi) of finite numbers, got "
                                             f"{obs['value']!r:.80}.")
        lo, hi = _interval(x, stat, alpha)
        width, tol = hi - lo, ENDPOINT_TOL * (hi - lo)
        if abs(got[0] - lo) <= tol and abs(got[1] - hi) <= tol:
            continue
        if 0 <= got[1] - got[0] < 0.05 * width:          # a reversed pair is named below, as swapped
            return Failure(Status.INCORRECT, f"On {case.label}: your interval has (almost) no width. Resampling "
                           "without replacement only permutes the data, so every resample gives the same "
                           "statistic: draw indices with replacement (rng.integers(0, n, size=n)).",
                           "without-replacement")
        lo_a, hi_a = _interval(x, stat, alpha * 2)
        if abs(got[0] - lo_a) <= tol and abs(got[1] - hi_a) <= tol:
            return Failure(Status.INCORRECT, f"On {case.label}: your interval is too narrow: it matches the "
                           "percentiles alpha and 1 - alpha. A two-sided interval puts alpha/2 in each tail: "
                           "percentiles 100*alpha/2 and 100*(1 - alpha/2).", "alpha-not-halved")
        if got[0] > got[1]:
            return Failure(Status.INCORRECT, f"On {case.label}: your lo is above your hi.", "swapped")
        return Failure(Status.INCORRECT, f"On {case.label}: expected the percentile bootstrap interval of "
                       f"stat (each end within {ENDPOINT_TOL:.1%} of the interval's width of a large-sample "
                       "reference); yours is off by more than that. Resample n values with replacement, apply "
                       "stat to each resample, and take the percentiles.")
    return None


def _read_pairs(cases, observations):
    values = values_or_error(cases, observations)
    if isinstance(values, Failure):
        return values
    pairs = [_pair(v) for v in values]
    if any(p is None for p in pairs):
        return Failure(Status.INCORRECT, "expected a pair (lo, hi) of finite numbers from every call.")
    return pairs


def _interval_cases():
    rng = np.random.default_rng(seed_for("02_math", "bootstrap_ci", "data"))
    x1 = rng.normal(2.0, 1.5, size=200)
    x2 = rng.exponential(3.0, size=300)
    return [Case((x1, trimmed_mean, 8000, 0.05, 3), {}, f"x = {arr_label(x1)[2:]} (normal), stat = a 10% "
                                                        "trimmed mean, n_boot=8000, alpha=0.05"),
            Case((x2, sample_mean, 8000, 0.1, 5), {}, f"x = {arr_label(x2)[2:]} (skewed), stat = the mean, "
                                                      "n_boot=8000, alpha=0.1")]


def _seed_cases():
    x = np.random.default_rng(seed_for("02_math", "bootstrap_ci", "seed")).normal(size=60)
    return [Case((x, sample_mean), {"n_boot": 500, "seed": s}, f"seed={s}") for s in (11, 11, 12)]


BOOT_DRAWS = 5000            # n_boot of the generated cases: tolerance / Monte Carlo error as at 8000, half the time


def _stable(args, kwargs):
    """Well-posed for a percentile interval graded within ENDPOINT_TOL of the width: a sample that is not
    constant (width 0 leaves no tolerance), and endpoints that n_boot resamples pin down: the reference's
    quantile moves by at most the tolerance when the tail probability moves by 4 Monte Carlo standard errors
    (small or integer samples have a lattice of bootstrap values, and a jump at the quantile would decide by
    luck, for the reference and a correct answer alike)."""
    x, stat = args
    if np.ptp(x) == 0:
        return False
    alpha, n_boot = kwargs.get("alpha", 0.05), kwargs["n_boot"]
    dist = _boot_distribution(x, stat)
    lo, hi = percentile_interval(x, stat, alpha)
    tol = ENDPOINT_TOL * (hi - lo)
    for q in (alpha / 2, 1 - alpha / 2):
        delta = 4 * np.sqrt(q * (1 - q) / n_boot) + 1 / n_boot
        at, below, above = np.percentile(dist, [100 * q, 100 * max(q - delta, 0), 100 * min(q + delta, 1)])
        if not (tol > 0 and at - below <= tol and above - at <= tol):
            return False
    return True


def _truncated(case, obs):
    """Both ends whole numbers for an integer sample: the statistics were stored in an integer array."""
    got = _pair(obs.get("value"))
    return (np.asarray(case.args[0]).dtype.kind in "iu" and got is not None and np.all(got == np.round(got)))


def _judge_interval_edges(cases, observations):
    """_judge_interval, naming a slip only generated cases reach: a buffer of x's dtype (the hand-picked
    samples are all float) truncates every statistic of an integer sample."""
    failure = _judge_interval(cases, observations)
    if failure is None or failure.mistake is not None:
        return failure
    for case, obs in zip(cases, observations):
        if _judge_interval([case], [obs]) is not None and "error" not in obs and _truncated(case, obs):
            return Failure(Status.INCORRECT, f"On {case.label}: both ends of your interval are whole numbers: "
                           "the statistics were stored in an array of x's integer dtype (np.empty(n_boot, "
                           "dtype=x.dtype), np.zeros_like(x, ...)), which truncates each one. Collect them in a "
                           "float array (np.empty(n_boot)) or a list.", "int-buffer")
    return failure


# the contract's inputs: 1-D samples of 2 to 30 values, float or int, any scale, data far from 0, both helper
# statistics, alpha left out or not, seed left out or not; n_boot=5000 (the tolerance is relative to the
# Monte Carlo error of n_boot draws); `_stable` keeps the samples whose interval is defined and stable.
# Four cases: each is 5000 calls of the learner's loop (about 25 ms per 1000), and the budget of issue 24 is
# 20% of the module's grading. The strata come scale first, so the four are the first four of scale 1e-3:
# a small-scale float sample, one far from 0 (1000 +- 0.001), two integer samples (where the int-buffer slip
# shows; integers ignore scale and offset); float samples at scale 1 are the hand-picked checks' inputs.
BOOT_DOMAIN = Domain(args=(Arrays(dims=("n",), dtypes=("float64", "int64"), offsets=(0.0, 1e6)),
                           (sample_mean, trimmed_mean)),
                     kwargs={"n_boot": (BOOT_DRAWS,), "alpha": (OMIT, 0.1, 0.2), "seed": (OMIT, 7)},
                     names=("x", "stat"), dim_sizes={"n": (2, 30)}, scales=(1e-3, 1.0), where=_stable,
                     examples=4)


# the judges that call the kept reference, and what they call it with (the module's warm_up keeps its outputs)
KEPT = {_judge_interval: (_interval, _interval_args), _judge_interval_edges: (_interval, _interval_args)}

bootstrap_ci = Exercise(
    "bootstrap_ci",
    blocked=("scipy.stats.bootstrap",),
    skill="math",
    hints=(
        "The bootstrap pretends the sample is the population: resample it with replacement many times, "
        "recompute the statistic each time, and read the interval off the spread of those values.",
        "Make one generator from the seed, draw n_boot index vectors of length n with replacement, apply "
        "stat to each resample (a 1-D array), and take the 100*alpha/2 and 100*(1 - alpha/2) percentiles.",
        "`rng = np.random.default_rng(seed); stats = [stat(x[rng.integers(0, len(x), len(x))]) for _ in "
        "range(n_boot)]; lo, hi = np.percentile(stats, [100 * alpha / 2, 100 * (1 - alpha / 2)])`",
    ),
    checks=(
        Check("the percentile interval of the statistic", 4, _interval_cases, _judge_interval, timeout=30.0),
        deterministic(_seed_cases, points=3, title="same seed, same interval; another seed, another interval",
                      read=_read_pairs,
                      same="two calls with the same seed gave different intervals: draw every resample from "
                           "`rng = np.random.default_rng(seed)`, not from the global RNG.",
                      other="calls with seeds 11 and 12 gave exactly the same interval: your resampling does "
                            "not depend on `seed` (a hard-coded seed?)."),
        Check("the example in the notebook", 2,
              [Case((np.arange(1.0, 31.0), sample_mean), {"n_boot": 8000, "seed": 0},
                    "x = [1, 2, ..., 30], stat = the mean")],
              _judge_interval, timeout=20.0),
        generated(BOOT_DOMAIN, _judge_interval_edges, 1, seed_for("02_math", "bootstrap_ci", "domain"), timeout=30.0,
                  shrink_probes=5),     # each probe resamples 5000 times: ~0.15 s of the learner's code
    ),
)


# ------------------------------------------------------------------ Gaussian MLE
def mle_ref(x):
    x = np.asarray(x, dtype=float)
    return x.mean(), x.var()


def _logpdf(x, mu, sd):
    import scipy.stats  # imported only where an output is not kept

    return scipy.stats.norm.logpdf(np.asarray(x, dtype=float), mu, sd)


def scipy_loglik(x, mu, var):
    return float(np.sum(_logpdf(x, mu, np.sqrt(var))))


# kept between grading runs (engine/kept_values.py): a grade after `mlkata warm` imports no scipy
loglik_ref = kept_oracle(scipy_loglik, "02_math-gaussian-loglik", ("scipy",))


MLE_MISTAKES = (Mistake("ddof-1", "you returned the unbiased variance (ddof=1); the maximum-likelihood "
                        "estimate divides by n (ddof=0)", variant=lambda x: (np.mean(x), np.var(x, ddof=1))),)
LL_MISTAKES = (
    Mistake("missing-2pi", "you left out the -n/2 log(2 pi) term: the Gaussian density is "
            "exp(-(x-mu)^2 / (2 var)) / sqrt(2 pi var)",
            variant=lambda x, mu, var: -0.5 * np.sum(np.log(var) + (x - mu) ** 2 / var)),
    Mistake("var-as-std", "you used `var` as the standard deviation: the third argument is the variance",
            variant=lambda x, mu, var: float(np.sum(_logpdf(x, mu, var)))),
    Mistake("mean-not-sum", "you averaged over samples; the log-likelihood is the sum over samples",
            variant=lambda x, mu, var: float(np.mean(_logpdf(x, mu, np.sqrt(var))))),
    Mistake("per-sample", "you returned one value per sample; the log-likelihood is their sum (a single number)",
            detect=lambda case, obs, exp: np.shape(as_numeric(obs.get("value")) if "value" in obs else 0)
            == np.shape(case.args[0])),
)


def _one_pass_mle(x):
    x = np.asarray(x, dtype=float)
    return x.mean(), np.mean(x ** 2) - x.mean() ** 2


ONE_PASS = "one-pass-variance"
MLE_EDGE_MISTAKES = (*MLE_MISTAKES, Mistake(
    ONE_PASS, "your variance loses its digits when the data sit far from 0: E[x^2] - E[x]^2 subtracts two huge, "
    "nearly equal numbers (catastrophic cancellation). Subtract the mean first: np.mean((x - mu) ** 2)",
    variant=_one_pass_mle))

# the contract's inputs: 1-D samples of any length >= 1, any scale, float or int, and data far from 0
# (a mean of 1e6 with a spread of 1: the hand-picked samples are all centred near 0)
MLE_DOMAIN = Domain(args=(Arrays(dims=("n",), dtypes=("float64", "int64"), offsets=(0.0, 1e6)),), names=("x",),
                    dim_sizes={"n": (1, 30)}, scales=(1e-3, 1.0), examples=16)


def _mle_cases():
    rng = np.random.default_rng(seed_for("02_math", "gaussian_mle", "mle"))
    a, b = rng.normal(3.0, 2.0, size=50), rng.uniform(-1, 1, size=7)
    return [Case((a,), {}, f"x = {arr_label(a)[2:]}"), Case((b,), {}, f"x = {arr_label(b)[2:]}"),
            Case((np.array([1, 2, 2, 5]),), {}, "an integer array [1, 2, 2, 5]")]


def _ll_cases():
    rng = np.random.default_rng(seed_for("02_math", "gaussian_mle", "ll"))
    x = rng.normal(1.0, 3.0, size=40)
    return [Case((x, 1.2, 8.5), {}, f"x = {arr_label(x)[2:]}, mu=1.2, var=8.5"),
            Case((x[:5], -0.5, 0.25), {}, "five samples, mu=-0.5, var=0.25")]


gaussian_mle = Exercise(
    "gaussian_mle",
    blocked=("scipy.stats.norm.fit", "scipy.stats.norm.logpdf", "scipy.stats.norm.pdf"),
    skill="math",
    hints=(
        "Maximum likelihood picks the parameters under which the data is most probable. For a Gaussian, "
        "that is the sample mean and the average squared deviation (dividing by n).",
        "Log-density of one sample: -0.5*log(2*pi*var) - (x - mu)**2 / (2*var). Sum it over the samples.",
        "`mu = x.mean(); var = ((x - mu)**2).mean()`; "
        "`np.sum(-0.5 * np.log(2 * np.pi * var) - (x - mu)**2 / (2 * var))`",
    ),
    checks=(
        Check("gaussian_mle matches the maximum-likelihood estimates", 3, _mle_cases,
              returns(mle_ref, each(close(), close(), names=("mu", "var")), MLE_MISTAKES,
                      expect_text="(mean, variance with ddof=0)")),
        Check("gaussian_log_likelihood sums the log-density", 4, _ll_cases,
              returns(loglik_ref, close(), LL_MISTAKES, expect_text="the summed Gaussian log-density"),
              target="gaussian_log_likelihood"),
        Check("the examples in the notebook", 2,
              [Case((np.array([0.0, 2.0]), 1.0, 1.0), {}, "x = [0, 2], mu=1, var=1")],
              returns(loglik_ref, close(), LL_MISTAKES, expect_text="-log(2 pi) - 1"),
              target="gaussian_log_likelihood"),
        generated(MLE_DOMAIN, returns(mle_ref, each(close(), close(), names=("mu", "var")), MLE_EDGE_MISTAKES,
                                      expect_text="(mean, variance with ddof=0)"),
                  1, seed_for("02_math", "gaussian_mle", "domain")),
    ),
)


# ------------------------------------------------------------------ Welch's t-test
def scipy_welch(a, b):
    import scipy.stats  # imported only where the output is not kept

    r = scipy.stats.ttest_ind(a, b, equal_var=False)
    return float(r.statistic), float(r.df), float(r.pvalue)


# kept between grading runs (engine/kept_values.py): a grade after `mlkata warm` imports no scipy
welch_ref = kept_oracle(scipy_welch, "02_math-welch", ("scipy",))


def _t(tail, t, dof):
    """scipy's t distribution's ``cdf`` or ``sf`` (a wrong answer's variants and detector only)."""
    import scipy.stats

    return getattr(scipy.stats.t, tail)(t, dof)


def _pooled(a, b):
    import scipy.stats

    r = scipy.stats.ttest_ind(a, b, equal_var=True)
    return float(r.statistic), float(len(a) + len(b) - 2), float(r.pvalue)


def _one_sided(case, obs, expected):
    got = obs.get("value")
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return False
    p = as_numeric(got[2])
    t, dof, p_two = expected
    return p is not None and p.shape == () and any(
        np.isclose(float(p), c, rtol=1e-6) for c in (p_two / 2, 1 - p_two / 2,
                                                     _t("cdf", t, dof), _t("sf", t, dof)))


def _ddof0(a, b):
    va, vb = np.var(a) / len(a), np.var(b) / len(b)
    t = (np.mean(a) - np.mean(b)) / np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return t, dof, 2 * _t("sf", abs(t), dof)


WELCH_MISTAKES = (
    Mistake("pooled-variance", "you pooled the variances (Student's t-test); Welch's test keeps them separate: "
            "t = (mean_a - mean_b) / sqrt(var_a/n_a + var_b/n_b), with Welch-Satterthwaite dof", variant=_pooled),
    Mistake("one-sided-p", "your p-value is one-sided; the two-sided p is 2 * t.sf(|t|, dof)", detect=_one_sided),
    Mistake("ddof-0", "use the sample variances with ddof=1 in Welch's formula", variant=_ddof0),
    Mistake("samples-swapped", "your t has the opposite sign: t = (mean(a) - mean(b)) / se, so a positive t "
            "says a's mean is the larger; you computed it for b - a", variant=lambda a, b: welch_ref(b, a)),
)
TRIPLE = each(close(), close(), close(), names=("t", "dof", "p"))


def _one_pass_welch(a, b):
    def var(x):
        x = np.asarray(x, dtype=float)
        return (np.sum(x ** 2) - len(x) * x.mean() ** 2) / (len(x) - 1)
    va, vb = var(a) / len(a), var(b) / len(b)
    t = (np.mean(a) - np.mean(b)) / np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return t, dof, 2 * _t("sf", abs(t), dof)


WELCH_EDGE_MISTAKES = (Mistake(
    ONE_PASS, "your sample variances lose their digits when the data sit far from 0: sum(x^2) - n mean^2 "
    "subtracts two huge, nearly equal numbers. Subtract the mean first (np.var(x, ddof=1) does)",
    variant=_one_pass_welch), *WELCH_MISTAKES)


def _spread(args, kwargs):
    """Welch's t is defined when neither sample is constant (a zero variance divides by 0); and means
    thousands of spreads apart give p = 0 exactly, where no slip in the p-value can be told apart."""
    a, b = args
    return all(np.ptp(x) > 0 for x in args) and abs(a.mean() - b.mean()) < 20 * (a.std() + b.std())


# the contract's inputs: samples of sizes >= 2, unequal sizes and spreads, any scale, data far from 0
WELCH_DOMAIN = Domain(args=(Arrays(dims=("na",), offsets=(0.0, 1e6)), Arrays(dims=("nb",), offsets=(0.0, 1e6))),
                      names=("a", "b"), sizes=(2, 25), scales=(1e-3, 1.0), where=_spread, same_offsets=True,
                      examples=16)


def _welch_cases():
    rng = np.random.default_rng(seed_for("02_math", "welch_ttest", "random"))
    out = []
    for (na, sa), (nb, sb), shift in [((30, 1.0), (30, 1.2), 0.4), ((12, 0.5), (40, 3.0), 1.0),
                                      ((8, 2.0), (25, 0.3), -0.8)]:
        a, b = rng.normal(0, sa, size=na), rng.normal(shift, sb, size=nb)
        out.append(Case((a, b), {}, f"samples of sizes {na} and {nb} with standard deviations {sa} and {sb}"))
    return out


welch_ttest = Exercise(
    "welch_ttest",
    blocked=("scipy.stats.ttest_ind", "scipy.stats.ttest_ind_from_stats"),
    skill="math",
    hints=(
        "Welch's t-test compares two means without assuming equal variances; its degrees of freedom come "
        "from the Welch-Satterthwaite approximation.",
        "With se2 = var_a/n_a + var_b/n_b (ddof=1), t = (mean_a - mean_b)/sqrt(se2) and "
        "dof = se2**2 / ((var_a/n_a)**2/(n_a-1) + (var_b/n_b)**2/(n_b-1)). The two-sided p doubles one tail.",
        "`p = 2 * scipy.stats.t.sf(abs(t), dof)`",
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case((np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 3.0, 5.0, 9.0, 1.0])), {},
                    "a = [1, 2, 3, 4], b = [2, 3, 5, 9, 1]")],
              returns(welch_ref, TRIPLE, WELCH_MISTAKES, expect_text="(t, dof, p) as scipy's Welch test")),
        Check("matches scipy.stats.ttest_ind(equal_var=False)", 5, _welch_cases,
              returns(welch_ref, TRIPLE, WELCH_MISTAKES, expect_text="(t, dof, p) as scipy's Welch test")),
        Check("p is two-sided", 3,
              [Case((np.array([0.1, 0.5, -0.3, 0.9, 1.2, 0.4]), np.array([1.5, 2.0, 0.7, 1.1, 1.9])), {},
                    "a small sample with a clear difference in means")],
              returns(welch_ref, TRIPLE, WELCH_MISTAKES, expect_text="a two-sided p-value")),
        generated(WELCH_DOMAIN, returns(welch_ref, TRIPLE, WELCH_EDGE_MISTAKES,
                                        expect_text="(t, dof, p) as scipy's Welch test"),
                  1, seed_for("02_math", "welch_ttest", "domain")),
    ),
)
