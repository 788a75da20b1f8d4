"""sigmoid_focal_loss: torchvision's formula, value and gradient, float32 and float64, logits up to |60|.

torch is imported inside the functions (see common.py). The reference computes in float64 with a stable BCE; values and gradients are compared at the
float32 tolerance when either side is float32. Gradients come from the learner's own autograd
graph (``helpers.focal_probe``) and are compared with autograd of the reference, kept per case
(engine/kept_values.py), as conv_backward.py's gradients are.
"""
from __future__ import annotations

import numpy as np

from graders.engine.compare import TOL32, TOL64, as_numeric, close
from graders.engine.judges import all_pass, error_failure, incorrect, returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Exercise, Mistake, checks_with, seed_for

from . import helpers
from .common import pinned, to_numpy


def elementwise(x, t, alpha=0.25, gamma=2.0, *, modulating="p_t", alpha_mode="class", eps=None, eps_mode="clamp",
                detach_factor=False):
    """The per-element loss in float64 (switches: the slips of the mistake variants)."""
    import torch
    import torch.nn.functional as F

    p = torch.sigmoid(x)
    if eps is None:
        ce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    else:
        lo = (lambda q: q.clamp(min=eps)) if eps_mode == "clamp" else (lambda q: q + eps)
        ce = -(t * torch.log(lo(p)) + (1 - t) * torch.log(lo(1 - p)))
    p_t = p * t + (1 - p) * (1 - t)
    factor = (1 - (p if modulating == "p" else p_t)) ** gamma
    loss = ce * (factor.detach() if detach_factor else factor)
    if alpha_mode == "both":
        loss = alpha * loss
    elif alpha_mode == "literal" or (alpha_mode == "class" and alpha >= 0):
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
    elif alpha_mode == "swapped" and alpha >= 0:
        loss = ((1 - alpha) * t + alpha * (1 - t)) * loss
    return loss


def _reduce(loss, reduction):
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


@pinned
def _value(logits, targets, alpha=0.25, gamma=2.0, reduction="mean", **slips):
    x, t = logits.detach().double(), targets.detach().double()
    return _reduce(elementwise(x, t, alpha, gamma, **slips), reduction).to(logits.dtype)


@pinned
def _grad(logits, targets, alpha, gamma, reduction, weight, **slips):
    import torch

    x = logits.detach().double().requires_grad_(True)
    out = _reduce(elementwise(x, targets.detach().double(), alpha, gamma, **slips), reduction)
    scalar = (out * weight.double()).sum() if reduction == "none" else out
    (grad,) = torch.autograd.grad(scalar, x)
    return grad.to(logits.dtype)


GRAD = kept_oracle(_grad, "10_vision-focal-grad", ("torch",))


def grad_args(case) -> tuple:
    """What the gradient of a case's loss is computed from (:data:`GRAD`'s arguments): its logits and targets,
    alpha, gamma, reduction, and the weights the probe multiplies a per-element loss by before backward."""
    return (*case.args, case.kwargs.get("alpha", 0.25), case.kwargs.get("gamma", 2.0),
            case.kwargs.get("reduction", "mean"), case.extra)


def focal_ref(logits, targets, alpha=0.25, gamma=2.0, reduction="mean"):
    return _value(logits, targets, alpha, gamma, reduction)


def loose():
    """Tolerance of float32 when either side is float32 (the learner may compute in float32 or float64)."""

    def compare(got, expected):
        got_np, exp = to_numpy(got), np.asarray(to_numpy(expected))
        arr = as_numeric(got_np)
        f32 = exp.dtype == np.float32 or (arr is not None and arr.dtype in (np.float32, np.float16))
        rtol, atol = TOL32 if f32 else TOL64
        return close(rtol, atol)(got_np, exp.astype(float) if exp.dtype == np.float32 else exp)

    return compare


# ------------------------------------------------------------------ mistakes
def _variant(**slips):
    def run(logits, targets, alpha=0.25, gamma=2.0, reduction="mean"):
        return _value(logits, targets, alpha, gamma, reduction, **slips)

    return run


def _wrong_reduction(case, obs, expected):
    reduction = case.kwargs.get("reduction", "mean")
    for other in ("none", "mean", "sum"):
        if other != reduction and loose()(obs.get("value"), _value(*case.args, **dict(case.kwargs, reduction=other))) \
                is None:
            return True
    return False


def _confident_only(case, obs, expected):
    """Non-finite values, or (reduction="none") errors only at confident logits: an unstable log."""
    got = as_numeric(to_numpy(obs.get("value")))
    if got is None or expected is None:
        return False
    exp = np.asarray(to_numpy(expected), dtype=float)
    got = got.astype(float)
    if got.shape == exp.shape and np.any(~np.isfinite(got) & np.isfinite(exp)):
        return True
    if case.kwargs.get("reduction", "mean") != "none" or got.shape != exp.shape:
        return False
    rtol, atol = TOL32 if exp.dtype == np.float32 or got.dtype == np.float32 else TOL64
    bad = ~np.isclose(got, exp, rtol=max(rtol, 1e-4), atol=max(atol, 1e-6))
    confident = np.abs(to_numpy(case.args[0])) > 8
    return bool(bad.any() and not (bad & ~confident).any())


UNSTABLE = ("for confident logits your loss is not the formula's: log(sigmoid(x)) underflows (log 0 = -inf, then "
            "nan in the gradient), and clamping p or adding an epsilon changes the value; compute the cross-entropy "
            "stably with F.binary_cross_entropy_with_logits(logits, targets, reduction='none') or F.logsigmoid")
MISTAKES = (
    Mistake("unstable-log", UNSTABLE, detect=_confident_only),
    *(Mistake("unstable-log", UNSTABLE, variant=_variant(eps=eps, eps_mode=mode))
      for eps in (1e-12, 1e-8, 1e-7, 1e-6, 1e-5) for mode in ("clamp", "add")),
    Mistake("alpha-both-classes", "you multiplied the whole loss by alpha; alpha weights the positives and "
            "1 - alpha the negatives: alpha_t = alpha*t + (1 - alpha)*(1 - t)", variant=_variant(alpha_mode="both")),
    Mistake("alpha-swapped", "alpha and 1 - alpha are swapped: positives (t = 1) get alpha",
            variant=_variant(alpha_mode="swapped")),
    Mistake("modulating-p", "the modulating factor is (1 - p_t)^gamma with p_t = p*t + (1 - p)*(1 - t), the "
            "probability of the *true* class; you used (1 - p)^gamma", variant=_variant(modulating="p")),
    Mistake("alpha-negative-not-honoured", "alpha < 0 (e.g. alpha=-1) means no alpha weighting at all; you "
            "applied alpha_t with the negative alpha", variant=_variant(alpha_mode="literal")),
    Mistake("reduction-ignored", "you ignored `reduction`: 'none' returns the per-element losses (the logits' "
            "shape), 'mean' their mean and 'sum' their sum", detect=_wrong_reduction),
)


def _grad_judge(cases, observations):
    for case, obs in zip(cases, observations):
        grad = obs.get("grad")
        if isinstance(grad, dict) and "error" in grad:
            return error_failure(case, grad["error"])
        if isinstance(grad, dict) and "missing" in grad:
            return incorrect(case, f"no gradient reaches the logits: you returned {grad['missing']}. Compute the "
                             "loss with torch operations on `logits` (no .item(), .detach(), numpy or "
                             "torch.no_grad()), so that loss.backward() works.", "no-grad")
        args = grad_args(case)
        expected = GRAD(*args)
        problem = loose()(grad, expected)
        if problem is None:
            continue
        got = as_numeric(to_numpy(grad))
        if got is not None and got.shape == tuple(expected.shape) and np.any(~np.isfinite(got)):
            return incorrect(case, UNSTABLE + ".", "unstable-log")
        if loose()(grad, _grad(*args, detach_factor=True)) is None:
            return incorrect(case, "your value is right but the gradient is not: the modulating factor "
                             "(1 - p_t)^gamma was detached (or computed outside autograd); it depends on the "
                             "logits and must stay in the graph", "detached-factor")
        return incorrect(case, f"the value is right but the gradient with respect to the logits is not "
                         f"(autograd of the formula); your gradient: {problem}.")
    return None


# ------------------------------------------------------------------ cases
def _case(gen, shape, dtype, scale=3.0, confident=False, **kwargs):
    import torch

    x = torch.randn(*shape, generator=gen, dtype=torch.float64) * scale
    if confident:                               # confident and wrong, confident and right, up to |60|
        flat = x.view(-1)
        k = flat.numel()
        flat[: k // 2] = torch.linspace(-60, 60, k // 2, dtype=torch.float64)
    t = (torch.rand(*shape, generator=gen, dtype=torch.float64) < 0.3).to(dtype)
    x = x.to(dtype)
    weight = torch.rand(*shape, generator=gen, dtype=torch.float64).to(dtype) + 0.5
    label = (f"logits = a {tuple(shape)} {str(dtype).replace('torch.', '')} tensor"
             + (" with values up to |60|" if confident else "") + ", targets of 0/1"
             + "".join(f", {k}={v!r}" for k, v in kwargs.items()))
    return Case((x, t), kwargs, label, extra=weight)


def _example_cases():
    import torch

    x = torch.tensor([2.0, -1.0, 0.5, -3.0])
    t = torch.tensor([1.0, 0.0, 0.0, 1.0])
    return [Case((x, t), {}, "the notebook's example: logits [2, -1, 0.5, -3], targets [1, 0, 0, 1]",
                 extra=torch.ones(4))]


def _value_cases():
    import torch

    gen = torch.Generator().manual_seed(seed_for("10_vision", "sigmoid_focal_loss", "values"))
    f32, f64 = torch.float32, torch.float64
    return [_case(gen, (40,), f64), _case(gen, (8, 5), f32, reduction="sum"),
            _case(gen, (2, 3, 4, 4), f64, alpha=0.5, gamma=1.0, reduction="none"),
            _case(gen, (6, 7), f32, alpha=-1.0, gamma=3.0), _case(gen, (30,), f64, alpha=-1.0, reduction="none"),
            _case(gen, (5, 4), f64, alpha=0.75, gamma=0.0, reduction="sum")]


def _grad_cases():
    import torch

    gen = torch.Generator().manual_seed(seed_for("10_vision", "sigmoid_focal_loss", "grads"))
    f32, f64 = torch.float32, torch.float64
    return [_case(gen, (25,), f64), _case(gen, (6, 5), f32, reduction="none"),
            _case(gen, (3, 2, 5), f64, alpha=0.4, gamma=1.5, reduction="sum"),
            _case(gen, (12,), f64, alpha=-1.0, gamma=2.0, reduction="none")]


def _confident_cases():
    import torch

    gen = torch.Generator().manual_seed(seed_for("10_vision", "sigmoid_focal_loss", "confident"))
    f32, f64 = torch.float32, torch.float64
    return [_case(gen, (60,), f32, confident=True, reduction="none"),
            _case(gen, (60,), f64, confident=True, reduction="none"),
            _case(gen, (10, 8), f32, confident=True, gamma=1.0, reduction="none")]


def _probe_args(with_grad):
    return lambda target, cases: (target, [(c.args, c.kwargs, c.extra) for c in cases], with_grad)


VALUES = returns(focal_ref, loose(), MISTAKES, "torchvision's sigmoid_focal_loss value")


_values_check = checks_with(judge=VALUES, probe=helpers.focal_probe, probe_args=_probe_args(False))
GRADS_JUDGE = all_pass(VALUES, _grad_judge)
_grads_check = checks_with(judge=GRADS_JUDGE, probe=helpers.focal_probe, probe_args=_probe_args(True))


sigmoid_focal_loss = Exercise(
    "sigmoid_focal_loss",
    # nothing to block: torchvision (whose sigmoid_focal_loss this is) does not import next to the pinned torch
    skill="losses",
    hints=(
        "Focal loss is binary cross-entropy times (1 - p_t)^gamma, where p_t is the probability the model gives the "
        "true class: easy, confident-and-right examples are down-weighted. alpha_t = alpha for positives and "
        "1 - alpha for negatives (skipped when alpha < 0). Then the reduction.",
        "p = sigmoid(logits); ce = BCE with logits (reduction 'none', numerically stable); p_t = p*t + (1-p)*(1-t); "
        "loss = ce * (1 - p_t)**gamma; if alpha >= 0: loss *= alpha*t + (1-alpha)*(1-t); then mean/sum/none.",
        "`ce = F.binary_cross_entropy_with_logits(logits, targets, reduction='none')`; "
        "`loss = ce * (1 - p_t) ** gamma`; `return loss.mean() if reduction == 'mean' else loss.sum() if "
        "reduction == 'sum' else loss`.",
    ),
    checks=(
        _values_check("the example in the notebook", 1, _example_cases),
        _values_check("values match the formula: alpha (and alpha < 0), gamma, reductions, float32 and float64", 3,
                      _value_cases),
        _grads_check("gradients with respect to the logits match autograd of the formula", 3, _grad_cases),
        _grads_check("confident logits up to |60|: finite, exact values and gradients", 3, _confident_cases),
    ),
)
