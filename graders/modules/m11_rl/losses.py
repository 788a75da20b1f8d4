"""gaussian_log_likelihood and ppo_clip_loss: torch losses graded on value and on gradients.

The probe (``sandbox_probes.grad_probe``) calls the learner with leaf tensors that require grad,
back-propagates a fixed weighting of the output and reports the value and every input's gradient.
The oracles (torch.distributions.Normal; the clipped objective written out) do the same here, on
one thread. Variants of the classic slips are evaluated on the same inputs to name them. Cases
hold numpy arrays and a dtype name (the probe makes the tensors), so that building them does not
import torch in the grading process.
"""
from __future__ import annotations

import math

import numpy as np

from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise, seed_for

from .common import MODULE_ID, pinned, t_label, tclose, to_numpy, what
from .sandbox_probes import _weights, as_tensors, grad_probe

LOG_2PI = math.log(2 * math.pi)


# ------------------------------------------------------------------ gaussian_log_likelihood
def gaussian_ref(x, mu, log_std):
    import torch

    return torch.distributions.Normal(mu, log_std.exp()).log_prob(x).sum(-1)


def _log_density(x, mu, log_std, std=None, log_term=None, const=True, var=None):
    """Sum over the last axis of -(x - mu)^2 / (2 var) - log_term - const; the reference with no switch."""
    std = log_std.exp() if std is None else std
    var = std ** 2 if var is None else var
    log_term = std.log() if log_term is None else log_term
    return (-0.5 * (x - mu) ** 2 / var - log_term - (0.5 * LOG_2PI if const else 0.0)).sum(-1)


GAUSS_SLIPS = (
    (lambda x, m, s: _log_density(x, m, s, std=s), "log-std-as-std", ("you used log_std as the standard "
     "deviation: the std is log_std.exp(), and the log-density has the term -log_std")),
    (lambda x, m, s: _log_density(x, m, s, std=s, log_term=s), "log-std-as-std",
     "you divided by log_std: the standard deviation is log_std.exp()"),
    (lambda x, m, s: _log_density(x, m, s, const=False), "missing-log-2pi", ("the constant -log(2*pi)/2 per "
     "dimension is missing: the density of N(mu, std^2) is exp(-z^2/2) / (std * sqrt(2*pi))")),
    (lambda x, m, s: _log_density(x, m, s, var=s.exp()), "std-not-squared",
     "you divided (x - mu)^2 by the std instead of the variance std^2"),
)


def _gauss_value_failure(case, value, expected):
    exp_shape = tuple(expected.shape)
    got = to_numpy(value)
    shape = tuple(np.shape(got)) if isinstance(got, np.ndarray) else None
    x = case.args[0][0][0]
    if shape is not None and shape != exp_shape:
        if shape == tuple(x.shape):
            return incorrect(case, "you returned one log-density per dimension: sum over the last axis (the "
                             "action dimensions are independent, so their log-densities add).", "no-sum")
        if len(shape) < len(exp_shape) and shape == exp_shape[:len(shape)] or (shape == () and exp_shape != ()):
            return incorrect(case, f"you summed over more than the last axis (got {what(value)}): keep one "
                             "log-likelihood per sample, .sum(-1) only.", "sum-over-batch")
    problem = tclose()(value, expected)
    if problem is None:
        return None
    for variant, mistake, message in GAUSS_SLIPS:
        wrong = variant(*as_tensors(*case.args[0]))
        if tclose()(wrong, expected) is not None and tclose()(value, wrong) is None:
            return incorrect(case, message + ".", mistake)
    return incorrect(case, f"expected the log-density of a diagonal Gaussian summed over the last axis; {problem}.")


@pinned
def _expected(fn, arrays_dtype, kwargs):
    """The oracle's value and the gradients of the weighted sum of its output, like the probe."""
    leaves = [t.requires_grad_(True) for t in as_tensors(*arrays_dtype)]
    out = fn(*leaves, **kwargs)
    (out * _weights(out)).sum().backward()
    return out.detach(), [leaf.grad for leaf in leaves]


def _grad_failure(case, got_grads, want_grads, names, which, message):
    if got_grads is None:
        return incorrect(case, "your result carries no gradient: build it from the input tensors with torch "
                         "operations (no .item(), .detach(), numpy or torch.no_grad()).", "no-grad-flow")
    for i in which:
        got, want = got_grads[i], want_grads[i]
        if got is None:
            return incorrect(case, f"no gradient reached `{names[i]}`: build the result from it with torch "
                             "operations.", "no-grad-flow")
        problem = tclose()(got, want)
        if problem:
            return incorrect(case, f"the gradient with respect to `{names[i]}` is off: {problem}. {message}")
    return None


def _gauss_judge(check_grads):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            if "error" in obs:
                return error_failure(case, obs["error"])
            value, grads = _expected(gaussian_ref, *case.args)
            failure = _gauss_value_failure(case, obs["value"], value)
            if failure:
                return failure
            if check_grads:
                failure = _grad_failure(case, obs["grads"], grads, ("x", "mu", "log_std"), (0, 1, 2),
                                        "Write the formula with differentiable torch operations.")
                if failure:
                    return failure
        return None
    return judge


def _gauss_cases(example=False):
    rng = np.random.default_rng(seed_for(MODULE_ID, "gaussian_log_likelihood", "random"))
    shapes = [((3, 2), (2,), "float32")] if example else \
        [((5, 4), (4,), "float64"), ((2, 3, 6), (6,), "float32"), ((7, 3), (7, 3), "float64"),
         ((4,), (4,), "float64"), ((6, 2), (2,), "float32")]
    cases = []
    for k, (x_shape, p_shape, dtype) in enumerate(shapes):
        x = rng.normal(size=x_shape).astype(dtype)
        mu = (rng.normal(size=p_shape) * 0.5).astype(dtype)
        low = 0.1 if k % 2 else -1.0                   # some cases with positive log_std only
        log_std = rng.uniform(low, 0.6, size=p_shape).astype(dtype)
        label = "the notebook's example: " if example else ""
        cases.append(Case((((x, mu, log_std), dtype), {}), {}, f"{label}{t_label(x_shape, dtype, 'x')}, mu and "
                          f"log_std of shape {tuple(p_shape)}"))
    return cases


# ------------------------------------------------------------------ ppo_clip_loss
def ppo_ref(logp, logp_old, adv, clip_ratio=0.2, variant=None):
    import torch

    logp_old, adv = logp_old.detach(), adv.detach()
    ratio = logp / logp_old if variant == "division" else torch.exp(logp - logp_old)
    eps = 0.2 if variant == "fixed_clip" else clip_ratio
    clipped = torch.clamp(ratio, 1 - eps, 1 + eps) * adv
    if variant == "no_min":
        surrogate = clipped
    elif variant == "no_clip":
        surrogate = ratio * adv
    elif variant == "max":
        surrogate = torch.max(ratio * adv, clipped)
    else:
        surrogate = torch.min(ratio * adv, clipped)
    return surrogate.mean() if variant == "sign" else -surrogate.mean()


PPO_SLIPS = (
    ("no_min", "no-min", ("you used the clipped term alone: the objective is the MINIMUM of ratio * A and "
     "clip(ratio, 1 - eps, 1 + eps) * A (pessimistic in both directions)")),
    ("sign", "objective-not-loss", ("you returned the objective instead of a loss to minimise: put a minus sign in front of the "
     "mean")),
    ("division", "ratio-division", ("the probability ratio is exp(logp - logp_old), not logp / logp_old (these are "
     "log-probabilities)")),
    ("fixed_clip", "clip-ratio-ignored", ("your loss ignores `clip_ratio` (it used 0.2): clip to "
     "[1 - clip_ratio, 1 + clip_ratio]")),
    ("no_clip", "no-clip", "nothing was clipped: take min(ratio * A, clip(ratio, 1 - eps, 1 + eps) * A)"),
    ("max", "max-not-min", "you took the maximum of the two terms: the clipped objective takes the minimum"),
)


def _ppo_judge(part):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            if "error" in obs:
                return error_failure(case, obs["error"])
            arrays_dtype, kwargs = case.args
            value, grads = _expected(ppo_ref, arrays_dtype, kwargs)
            problem = tclose()(obs["value"], value)
            if problem:
                for variant, mistake, message in PPO_SLIPS:
                    wrong = pinned(ppo_ref)(*as_tensors(*arrays_dtype), **kwargs, variant=variant).detach()
                    if tclose()(wrong, value) is not None and tclose()(obs["value"], wrong) is None:
                        return incorrect(case, message + ".", mistake)
                return incorrect(case, f"expected the scalar loss -mean(min(ratio * A, clip(ratio) * A)); {problem}.")
            if part == "value":
                continue
            if part == "logp":
                failure = _grad_failure(case, obs["grads"], grads, ("logp",), (0,), "The gradient flows through the "
                                        "ratio exp(logp - logp_old), and is zero where the clipped term is chosen.")
                if failure:
                    return failure
                continue
            if not obs["grads"] or obs["grads"][0] is None:
                return incorrect(case, "your loss carries no gradient to logp: build it with torch operations "
                                 "from logp.", "no-grad-flow")
            for i, name in ((1, "logp_old"), (2, "adv")):
                got = (obs["grads"] or [None] * 3)[i]
                if got is not None and np.any(to_numpy(got) != 0):
                    return incorrect(case, f"a gradient flowed into `{name}`: it is a constant of the update, "
                                     f"so use {name}.detach() (only logp is being optimised).", "grad-into-old")
        return None
    return judge


def _ppo_cases(kind):
    rng = np.random.default_rng(seed_for(MODULE_ID, "ppo_clip_loss", kind))
    specs = {"example": [(6, "float32", {})],
             "value": [(40, "float32", {}), (64, "float64", {"clip_ratio": 0.1}), (25, "float64", {"clip_ratio": 0.3})],
             "grad": [(48, "float64", {}), (30, "float32", {"clip_ratio": 0.15})]}[kind]
    cases = []
    for n, dtype, kwargs in specs:
        eps = kwargs.get("clip_ratio", 0.2)
        logp_old = rng.normal(-1.0, 0.5, size=n)
        delta = rng.normal(0.0, 0.25, size=n)
        ratio = np.exp(delta)
        near = (np.abs(ratio - (1 - eps)) < 2e-3) | (np.abs(ratio - (1 + eps)) < 2e-3)
        delta[near] += 0.01                                   # away from the clip edges
        adv = rng.normal(size=n)
        arrays = tuple(a.astype(dtype) for a in (logp_old + delta, logp_old, adv))
        extra = f", clip_ratio={eps}" if kwargs else ", default clip_ratio"
        label = "the notebook's example: " if kind == "example" else ""
        cases.append(Case(((arrays, dtype), kwargs), {}, f"{label}{n} {dtype} samples, ratios "
                          f"on both sides of the clip range, advantages of both signs{extra}"))
    return cases


def _args(target, cases):
    return (target, [c.args for c in cases])


gaussian_log_likelihood = Exercise(
    "gaussian_log_likelihood",
    blocked=("torch.distributions",),
    skill="policy gradients",
    hints=(
        ("For independent dimensions the log-density is a sum over the last axis of "
        "-(x - mu)^2 / (2 std^2) - log(std) - log(2 pi) / 2, with std = exp(log_std)."),
        ("Compute z = (x - mu) / log_std.exp() (broadcasting handles mu of shape (d,)), build the per-dimension "
        "terms, then .sum(-1). Use only torch operations so gradients flow."),
        "`return (-0.5 * ((x - mu) / log_std.exp()) ** 2 - log_std - 0.5 * math.log(2 * math.pi)).sum(-1)`",
    ),
    checks=(
        Check("the example in the notebook", 1, lambda: _gauss_cases(example=True), _gauss_judge(False),
              probe=grad_probe, probe_args=_args),
        Check("matches Normal(mu, log_std.exp()).log_prob(x).sum(-1) (shapes, float32 and float64)", 3,
              _gauss_cases, _gauss_judge(False), probe=grad_probe, probe_args=_args),
        Check("gradients with respect to x, mu and log_std match", 2, _gauss_cases, _gauss_judge(True),
              probe=grad_probe, probe_args=_args),
    ),
)

ppo_clip_loss = Exercise(
    "ppo_clip_loss",
    skill="policy gradients",
    hints=(
        ("PPO maximises the mean of min(ratio * A, clip(ratio, 1 - eps, 1 + eps) * A) with ratio = pi_new / pi_old; "
        "a loss to minimise is its negative. Only the new log-probabilities are being trained."),
        ("ratio = torch.exp(logp - logp_old.detach()); build both terms with adv.detach(); torch.min of the two; "
        "minus the mean."),
        ("`clipped = torch.clamp(ratio, 1 - clip_ratio, 1 + clip_ratio) * adv`; "
        "`return -torch.min(ratio * adv, clipped).mean()`"),
    ),
    checks=(
        Check("the example in the notebook", 1, lambda: _ppo_cases("example"), _ppo_judge("value"),
              probe=grad_probe, probe_args=_args),
        Check("the loss value matches -mean(min(ratio * A, clip(ratio) * A))", 3, lambda: _ppo_cases("value"),
              _ppo_judge("value"), probe=grad_probe, probe_args=_args),
        Check("the gradient with respect to logp matches", 2, lambda: _ppo_cases("grad"), _ppo_judge("logp"),
              probe=grad_probe, probe_args=_args),
        Check("no gradient flows into logp_old or adv", 1, lambda: _ppo_cases("grad"), _ppo_judge("constants"),
              probe=grad_probe, probe_args=_args),
    ),
)
