"""filtered_probs / sample: temperature, top-k, top-p (nucleus) and drawing from the result with `rng`.

``filtered_probs`` is compared with a reference that follows the pinned order (temperature, top-k,
softmax, top-p, renormalise); the inputs keep away from the knife edges the contract leaves open (ties
at the k-th logit, cumulative sums within 1e-3 of top_p). ``sample`` is graded statistically: STAT_DRAWS
draws from one ``default_rng(seed)`` per scenario, a chi-square test against the reference
distribution (p > 1e-4, small expected counts pooled), no draw outside the support, and the same draws
again after every global RNG was reseeded differently.

How many draws: a correct sampler fails the test with probability 1e-4 whatever the count, so the count only
buys power, and each draw is a call of the learner's ``sample`` (most of this module's grading time at
20,000). The weakest slip the test must see is a dropped temperature in the first scenario (T = 0.8 with
top-k 6 keeps the support and changes the shape least); at 8,000 draws the test misses it with probability
about 2e-12 (non-central chi-square; ``test_m12_genai`` recomputes it), and every other dropped setting
puts draws outside the support.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

from graders.engine.compare import close
from graders.engine.judges import returns
from graders.engine.results import Status
from graders.engine.spec import Case, Check, Exercise, Failure, seed_for

from .common import MODULE_ID, either, error_failure, incorrect, mistake, not_finite, raised
from .helpers import sampling_probe

EX = "filtered_probs"
NEAR = 1e-3           # cumulative sums this close to top_p are not tested (syllabus)
STAT_DRAWS = 8_000     # per scenario of the chi-square check (the module docstring says why this many)


def _softmax(z):
    z = np.asarray(z, dtype=float)
    finite = np.isfinite(z)
    e = np.where(finite, np.exp(z - z[finite].max()), 0.0)
    return e / e.sum()


def _top_k_mask(z, top_k, shift=0):
    if not top_k or top_k >= z.size:
        return np.ones(z.size, dtype=bool)
    return z >= np.sort(z)[-(top_k + shift)]


def _top_p_keep(p, top_p, exclusive=False):
    if top_p is None or top_p >= 1.0:
        return np.ones(p.size, dtype=bool)
    order = np.argsort(-p, kind="stable")
    cum = np.cumsum(p[order])
    n = int(np.searchsorted(cum, top_p, side="left")) + (0 if exclusive else 1)
    keep = np.zeros(p.size, dtype=bool)
    keep[order[:n]] = True
    return keep


def _filtered(logits, temperature=1.0, top_k=None, top_p=None, *, ignore_temperature=False, exclusive=False,
              p_before_k=False, p_before_t=False, renormalise=True, k_shift=0):
    """The pinned recipe, with switches that turn it into the known wrong recipes."""
    z = np.asarray(logits, dtype=float)
    if temperature == 0:
        out = np.zeros(z.size)
        out[int(np.argmax(z))] = 1.0
        return out
    zt = z / (1.0 if ignore_temperature else temperature)
    k_mask = _top_k_mask(zt, top_k, k_shift)
    if p_before_t:
        keep = _top_p_keep(_softmax(np.where(k_mask, z, -np.inf)), top_p) & k_mask
        return _softmax(np.where(keep, zt, -np.inf))
    if p_before_k:
        p = _softmax(zt)
        p = np.where(_top_p_keep(p, top_p) & k_mask, p, 0.0)
        return p / p.sum()
    p = _softmax(np.where(k_mask, zt, -np.inf))
    p = np.where(_top_p_keep(p, top_p, exclusive), p, 0.0)
    return p / p.sum() if renormalise else p


def filtered_probs_ref(logits, temperature=1.0, top_k=None, top_p=None):
    return _filtered(logits, temperature, top_k, top_p)


def _variant(**switches):
    return lambda logits, temperature=1.0, top_k=None, top_p=None: _filtered(logits, temperature, top_k, top_p,
                                                                              **switches)


MISTAKES = (
    mistake("temperature-zero", "temperature=0 means greedy: return the one-hot vector of the first argmax "
            "(np.argmax) instead of dividing the logits by zero",
            detect=either(raised(tag="t0"), not_finite("t0"))),
    mistake("top-k-larger-than-vocab", "top_k larger than the vocabulary must keep every token (treat "
            "k >= V as 'off') instead of failing", detect=raised(tag="k>V")),
    mistake("temperature-after-softmax", "the temperature had no effect: divide the *logits* by T before the "
            "softmax (scaling probabilities and renormalising changes nothing)",
            _variant(ignore_temperature=True)),
    mistake("top-p-drops-crossing-token", "top-p must keep the token whose probability makes the cumulative "
            "sum reach top_p: keep the smallest set whose total is >= top_p, the crossing token included",
            _variant(exclusive=True)),
    mistake("top-p-before-top-k", "top-p ran before top-k: cut to the k largest logits first, take the softmax "
            "of what is left, then apply top-p to those probabilities", _variant(p_before_k=True)),
    mistake("top-p-before-temperature", "top-p used the probabilities before the temperature: divide the logits "
            "by T first, then top-k, softmax and top-p", _variant(p_before_t=True)),
    mistake("not-renormalised", "after top-p the kept probabilities must be divided by their sum so that "
            "they add up to 1", _variant(renormalise=False)),
    mistake("top-k-off-by-one", "top-k kept the wrong number of tokens: keep the logits >= the k-th largest "
            "(exactly k tokens when there are no ties)", _variant(k_shift=1), _variant(k_shift=-1)),
)


def _well_posed(z, temperature, top_k, top_p) -> bool:
    """No tie at the k-th logit, no cumulative sum within NEAR of top_p (after temperature and top-k)."""
    z = np.asarray(z, dtype=float)
    if temperature == 0:
        return True
    zt = z / temperature
    s = np.sort(zt)[::-1]
    if top_k and top_k < z.size and abs(s[top_k - 1] - s[top_k]) < 1e-6:
        return False
    if top_p is None or top_p >= 1:
        return True
    p = np.sort(_softmax(np.where(_top_k_mask(zt, top_k), zt, -np.inf)))[::-1]
    return bool(np.all(np.abs(np.cumsum(p) - top_p) >= NEAR))


def _case(rng, V, temperature=1.0, top_k=None, top_p=None, scale=2.0, as_list=False, tags=(), note=""):
    while True:
        z = rng.normal(0.0, scale, size=V)
        if _well_posed(z, temperature, top_k, top_p):
            break
    kwargs = {k: v for k, v in (("temperature", temperature), ("top_k", top_k), ("top_p", top_p))
              if not (k == "temperature" and v == 1.0)}
    shown = ", ".join(f"{k}={v}" for k, v in kwargs.items()) or "default settings"
    label = f"{V} logits as a {'list' if as_list else 'float64 array'}, {shown}{note}"
    return Case(([float(v) for v in z] if as_list else z,), kwargs, label, frozenset(tags))


def _example_cases():
    z = np.array([2.0, 1.0, 0.5, -1.0, 0.1])
    return [Case((z,), {"temperature": 0.5}, "the notebook's example, temperature=0.5"),
            Case((z,), {"top_k": 2}, "the notebook's example, top_k=2"),
            Case((z,), {"top_p": 0.8}, "the notebook's example, top_p=0.8")]


def _temperature_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "temperature"))
    return [_case(rng, 7), _case(rng, 12, 0.5), _case(rng, 30, 1.7), _case(rng, 5, 3.0, as_list=True),
            _case(rng, 20, 0.25)]


def _top_k_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "top_k"))
    return [_case(rng, 10, top_k=3), _case(rng, 25, 0.7, top_k=1), _case(rng, 16, 1.5, top_k=8),
            _case(rng, 6, top_k=6, note=" (k = V keeps all)"), _case(rng, 6, 0.8, top_k=0, note=" (0 = off)"),
            _case(rng, 9, top_k=14, tags=("k>V",), note=" (k > V keeps all)")]


def _top_p_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "top_p"))
    return [_case(rng, 12, top_p=0.8), _case(rng, 30, 0.6, top_p=0.9), _case(rng, 20, 1.8, top_p=0.5),
            _case(rng, 15, 1.2, top_k=6, top_p=0.75), _case(rng, 40, 0.5, top_k=12, top_p=0.95),
            _case(rng, 8, 2.5, top_k=5, top_p=0.6, as_list=True), _case(rng, 10, top_p=1.0, note=" (1.0 = off)"),
            _case(rng, 10, 1.3, top_k=4, top_p=0.97)]


def _greedy_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "greedy"))
    tie = rng.normal(size=9)
    tie[[2, 6]] = tie.max() + 1.0
    return [_case(rng, 11, 0, tags=("t0",)), _case(rng, 7, 0, top_k=3, top_p=0.5, tags=("t0",)),
            Case((tie,), {"temperature": 0}, "9 logits whose maximum appears twice, temperature=0", frozenset({"t0"}))]


NAMED = tuple(m.id for m in MISTAKES) + ("draws-outside-support", "sample-ignores-settings", "global-rng")
PROBS = returns(filtered_probs_ref, close(), MISTAKES, "the pinned filtered distribution")


# ------------------------------------------------------------------ sample: statistics and determinism
def chi_square_p(counts, probs) -> float:
    """Pearson's test of the counts against probs over the support, pooling bins with expected count < 5."""
    support = probs > 0
    n = counts[support].sum()
    exp, obs = probs[support] * n, counts[support].astype(float)
    order = np.argsort(exp)
    bins_e, bins_o, acc_e, acc_o = [], [], 0.0, 0.0
    for i in order:
        acc_e, acc_o = acc_e + exp[i], acc_o + obs[i]
        if acc_e >= 5:
            bins_e.append(acc_e)
            bins_o.append(acc_o)
            acc_e = acc_o = 0.0
    if acc_e > 0 and bins_e:
        bins_e[-1] += acc_e
        bins_o[-1] += acc_o
    if len(bins_e) < 2:
        return 1.0
    bins_e = np.array(bins_e) * (sum(bins_o) / sum(bins_e))
    return float(stats.chisquare(bins_o, bins_e).pvalue)


def _scenario(rng, V, n, again=False, **kwargs):
    while True:
        z = rng.normal(0.0, 1.5, size=V)
        if _well_posed(z, kwargs.get("temperature", 1.0), kwargs.get("top_k"), kwargs.get("top_p")):
            break
    shown = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    return Case((z, kwargs, int(rng.integers(1 << 30)), n, again), {}, f"{n} draws from {V} logits, {shown}")


def _stat_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "sample"))
    return [_scenario(rng, 12, STAT_DRAWS, temperature=0.8, top_k=6),
            _scenario(rng, 25, STAT_DRAWS, temperature=1.3, top_p=0.85),
            _scenario(rng, 9, 200, temperature=0, top_p=0.9)]


def _determinism_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "sample-determinism"))
    # same seed, same draws: any draw from a global RNG changes a sequence this long; the chi-square test
    # on it only confirms the draws are still right (the check pays once the statistical one passed)
    return [_scenario(rng, 30, 1000, again=True, temperature=1.1, top_k=10, top_p=0.9)]


def _counts(draws, V):
    draws = np.asarray(draws, dtype=np.int64)
    outside = int(((draws < 0) | (draws >= V)).sum())
    return np.bincount(draws[(draws >= 0) & (draws < V)], minlength=V), outside


def _judge_draws(case, draws) -> Failure | None:
    logits, kwargs, _, n, _ = case.args
    probs = filtered_probs_ref(logits, **kwargs)
    counts, outside = _counts(draws, logits.size)
    if outside:
        return incorrect(case, f"{outside} of your {n} draws are not token ids in 0..V-1.")
    off_support = int(counts[probs == 0].sum())
    if off_support:
        return incorrect(case, f"{off_support} of your {n} draws are tokens that the filters remove (probability "
                         "0): draw from filtered_probs(logits, temperature, top_k, top_p).", "draws-outside-support")
    p = chi_square_p(counts, probs)
    if p > 1e-4:
        return None
    for what_, changed in (("without the temperature", {"temperature": 1.0}), ("of the plain softmax", None)):
        other = filtered_probs_ref(logits, **({**kwargs, **changed} if changed else {}))
        if not np.allclose(other, probs) and counts[other == 0].sum() == 0 and chi_square_p(counts, other) > 1e-4:
            return incorrect(case, f"your draws follow the distribution {what_}: sample must draw from "
                             "filtered_probs(logits, temperature, top_k, top_p), with every setting passed on.",
                             "sample-ignores-settings")
    return incorrect(case, f"your draws do not follow the filtered distribution (chi-square test, p = {p:.1e} < "
                     "1e-4): draw token i with probability filtered_probs(...)[i], e.g. rng.choice(V, p=probs).")


def _stat_judge(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        failure = _judge_draws(case, obs["value"])
        if failure:
            return failure
    return None


def _determinism_judge(cases, observations):
    failure = _stat_judge(cases, observations)
    if failure:
        return failure
    for case, obs in zip(cases, observations):
        if obs.get("error_again"):
            return error_failure(case, obs["error_again"])
        if not np.array_equal(np.asarray(obs["value"]), np.asarray(obs.get("again"))):
            return Failure(Status.INCORRECT, f"On {case.label}: the same `rng` seed gave other draws after the global "
                           "RNGs (np.random, random, torch) were reseeded: draw with the `rng` you are given "
                           "(rng.choice, rng.random), never with np.random.* or random.*.", "global-rng")
    return None


def _sample_check(title, points, cases, judge, timeout):
    return Check(title, points, cases, judge, probe=sampling_probe, target="sample", timeout=timeout,
                 probe_args=lambda target, cs: (target, [c.args for c in cs]))


filtered_probs = Exercise(
    EX,
    skill="decoding",
    hints=(
        ("Temperature rescales the logits (sharper below 1, flatter above 1); top-k keeps the k largest logits; "
        "top-p keeps the most probable tokens until their total probability reaches p. Order matters: "
        "temperature, top-k, softmax, top-p, renormalise. T = 0 is greedy decoding."),
        ("z = logits / T; with top_k: kth = np.sort(z)[-k], z = np.where(z >= kth, z, -np.inf); p = softmax(z); "
        "with top_p: sort p descending, cumsum, keep up to and including the first index where the cumsum "
        "reaches top_p; renormalise. sample: rng.choice(len(p), p=p)."),
        ("`order = np.argsort(-p, kind='stable'); n = np.searchsorted(np.cumsum(p[order]), top_p) + 1; "
        "keep = np.zeros_like(p, bool); keep[order[:n]] = True; p = np.where(keep, p, 0); return p / p.sum()`; "
        "`return int(rng.choice(len(p), p=filtered_probs(logits, temperature, top_k, top_p)))`"),
    ),
    checks=(
        Check("the example in the notebook", 1, _example_cases, PROBS),
        Check("temperature divides the logits before the softmax", 1, _temperature_cases, PROBS),
        Check("top-k keeps the k largest logits (0, None or k >= V: all)", 2, _top_k_cases, PROBS),
        Check("top-p keeps the smallest set reaching top_p, after temperature and top-k", 2, _top_p_cases, PROBS),
        Check("temperature=0 is greedy: one-hot at the first argmax", 1, _greedy_cases, PROBS),
        _sample_check(f"sample: {STAT_DRAWS:,} draws follow filtered_probs (chi-square test)", 2, _stat_cases, _stat_judge,
                      30.0),
        # a property check (gated): same seed, same draws pays only once the draws are right
        _sample_check("sample: draws come from `rng` only (same seed, same draws)", 1, _determinism_cases,
                      _determinism_judge, 20.0).as_property(),
    ),
)
