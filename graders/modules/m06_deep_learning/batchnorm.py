"""BatchNorm1d: nn.BatchNorm1d's outputs in train and eval mode, running statistics included.

Graded on behaviour only: a sequence of train and eval calls, compared call by call
with nn.BatchNorm1d (the oracle). The running statistics show in the eval outputs,
so no attribute name is required. Known slips are replayed with a manual version.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import torch
from torch import nn

from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.judges import first_error
from graders.engine.search import generated
from graders.engine.spec import Case, Exercise, checks_with, per_case, seed_for

from .common import incorrect, module_failure, pinned, tclose, to_numpy
from .observers import batchnorm_probe

TOL = (1e-4, 1e-4)   # outputs are O(1); float32 variances computed in other valid ways differ by ~1e-6


@pinned
def oracle(args, kwargs, steps, affine):
    bn = nn.BatchNorm1d(*args, **kwargs)
    if affine is not None:
        x, weights, lr = affine
        bn.train()
        grads = torch.autograd.grad((bn(x) * weights).sum(), list(bn.parameters()))
        with torch.no_grad():
            for p, g in zip(bn.parameters(), grads):
                p -= lr * g
    outputs = []
    for mode, x in steps:
        bn.train(mode == "train")
        with torch.no_grad():
            outputs.append(bn(x))
    return outputs


def manual(args, kwargs, steps, affine, biased_running=False, reversed_momentum=False, unbiased_norm=False,
           eval_batch=False, train_running=False, eps_outside=False, defaults=False, falsy_momentum=False):
    """A float64 BatchNorm1d with switches for the classic slips."""
    c = args[0]
    eps, m = (1e-5, 0.1) if defaults else (kwargs.get("eps", 1e-5), kwargs.get("momentum", 0.1))
    m = (m or 0.1) if falsy_momentum else m
    rm, rv, gamma, beta = np.zeros(c), np.ones(c), np.ones(c), np.zeros(c)

    def forward(x, train):
        nonlocal rm, rv
        x = to_numpy(x).astype(float)
        mean, var_b = x.mean(0), x.var(0)
        var_u = x.var(0, ddof=1) if len(x) > 1 else var_b      # eval mode takes one-row batches
        if train:
            new = (m * rm + (1 - m) * mean, m * rv + (1 - m) * (var_b if biased_running else var_u)) \
                if reversed_momentum else ((1 - m) * rm + m * mean, (1 - m) * rv + m * (var_b if biased_running else var_u))
            use_mean, use_var = (new if train_running == "after" else (rm, rv)) if train_running \
                else (mean, var_u if unbiased_norm else var_b)
            rm, rv = new
        else:
            use_mean, use_var = (mean, var_b) if eval_batch else (rm, rv)
        xhat = (x - use_mean) / (np.sqrt(use_var) + eps if eps_outside else np.sqrt(use_var + eps))
        return xhat, (xhat * gamma + beta).astype(np.float32)

    if affine is not None:
        x, weights, lr = affine
        xhat, _ = forward(x, True)
        w = to_numpy(weights).astype(float)
        gamma, beta = gamma - lr * (xhat * w).sum(0), beta - lr * w.sum(0)
    return [forward(x, mode == "train")[1] for mode, x in steps]


SLIPS = (
    ({"biased_running": True}, "biased-running-var", "your running variance uses the biased batch variance "
     "(divide by N); nn.BatchNorm1d normalises with the biased one but stores the unbiased one (N - 1) in "
     "running_var"),
    ({"reversed_momentum": True}, "momentum-reversed", "your momentum is reversed: running = (1 - momentum) * "
     "running + momentum * batch_stat, so momentum=0.1 moves the running statistics 10% of the way"),
    ({"unbiased_norm": True}, "unbiased-normalisation", "in train mode you normalised with the unbiased variance "
     "(N - 1); normalise with the biased batch variance (divide by N), and keep the unbiased one for running_var"),
    ({"eval_batch": True}, "eval-uses-batch-stats", "in eval mode you normalised with the batch's own statistics; "
     "eval mode must use the running mean and variance (check self.training)"),
    ({"train_running": True}, "train-uses-running-stats", "in train mode you normalised with the running "
     "statistics; training normalises with the current batch's mean and (biased) variance"),
    ({"train_running": "after"}, "train-uses-running-stats", "in train mode you normalised with the running "
     "statistics (just updated); training normalises with the current batch's mean and (biased) variance"),
    ({"eps_outside": True}, "eps-outside-sqrt", "eps belongs inside the square root: (x - mean) / sqrt(var + eps)"),
    ({"falsy_momentum": True}, "momentum-zero-ignored", "you replaced momentum=0 by the default 0.1 "
     "(`momentum or 0.1` treats 0 as missing): with momentum 0 the running statistics never move; test "
     "`momentum is None` if you want a default"),
    ({"defaults": True}, "arguments-ignored", "you ignored the eps and momentum you were given (your layer "
     "behaves as with the defaults 1e-5 and 0.1): store them in __init__ and use them in forward"),
)


def _judge(cases, observations):
    failure = first_error(cases, observations)
    if failure:
        return failure
    for case, rec in zip(cases, observations):
        failure = module_failure(case, rec, "BatchNorm1d")
        if failure:
            return failure
        args, kwargs, steps, affine = case.args
        outputs = rec.get("outputs", [])
        expected = oracle(args, kwargs, steps, affine)
        problems = [tclose(*TOL)(o, e) for o, e in zip(outputs, expected)]
        if len(outputs) == len(expected) and not any(problems):
            continue
        if affine is not None and not rec["params"]:
            return incorrect(case, "your layer has no learnable parameters: nn.BatchNorm1d has a scale gamma "
                             "(`weight`, starts at 1) and a shift beta (`bias`, starts at 0), both nn.Parameter, "
                             "applied after normalising: y = gamma * x_hat + beta.", "no-affine")
        for switches, mistake, message in SLIPS:
            wrong = manual(args, kwargs, steps, affine, **switches)
            if all(tclose(*TOL)(o, w) is None for o, w in zip(outputs, wrong)):
                return incorrect(case, message + ".", mistake)
        i = next(i for i, p in enumerate(problems) if p)
        mode = steps[i][0]
        return incorrect(case, f"call {i + 1} ({mode} mode) differs from nn.BatchNorm1d: {problems[i]}.")
    return None


def _x(gen, n, c, shift=1.0):
    return (torch.randn(n, c, generator=gen) * (0.5 + 2 * torch.rand(c, generator=gen))
            + shift * torch.randn(c, generator=gen))


def _seq_label(args, kwargs, steps, extra=""):
    call = ", ".join([str(a) for a in args] + [f"{k}={v}" for k, v in kwargs.items()])
    modes = ", ".join(f"{m} ({tuple(x.shape)[0]} rows)" for m, x in steps)
    return f"BatchNorm1d({call}) called in {modes}{extra}"


def _case(seed, args, kwargs, modes, n=16, affine=False):
    gen = torch.Generator().manual_seed(seed)
    c = args[0]
    steps = [(m, _x(gen, n, c)) for m in modes]
    aff = (_x(gen, n, c), torch.randn(n, c, generator=gen), 0.5) if affine else None
    extra = ", after one SGD step on its parameters" if affine else ""
    return Case((args, kwargs, steps, aff), {}, _seq_label(args, kwargs, steps, extra))


def _example():
    x = torch.randn(8, 3, generator=torch.Generator().manual_seed(0)) * 2 + 1
    return [Case(((3,), {}, [("train", x), ("eval", x)], None), {}, "the notebook's example: BatchNorm1d(3) on an "
                 "(8, 3) batch in train mode, then in eval mode")]


_check = checks_with(judge=_judge, probe=batchnorm_probe, probe_args=per_case())


# ------------------------------------------------------------------ generated cases (engine/domains.py)
MODES = (("train", "train", "eval"), ("eval", "train", "eval"), ("train", "eval", "train"), ("train", "eval", "eval"))


def _well_posed(args, kwargs):
    """nn.BatchNorm1d refuses a one-row batch in train mode (no variance to normalise with; in eval mode one
    row is in the contract). And a feature whose spread is near float32's resolution at its magnitude
    (a near-constant column far from 0) normalises to the rounding error of its mean, which torch
    accumulates in double: every train batch's features spread over 1e4 float32 steps of their size."""
    *xs, modes = args
    eps = kwargs.get("eps", 1e-5)
    for x, mode in zip(xs, modes):
        if mode == "train":
            x = x.astype(np.float64)
            if x.shape[0] < 2 or np.any(np.sqrt(x.var(0) + eps) < 1e4 * np.finfo(np.float32).eps * np.abs(x).max(0)):
                return False
    return True


def _as_bn_case(case):
    """A drawn case (three batches, their modes; eps and momentum as keywords) in the hand-picked layout:
    ((num_features,), constructor kwargs, [(mode, batch tensor)], no affine step)."""
    *xs, modes = case.args
    steps = [(mode, torch.from_numpy(x.copy())) for mode, x in zip(modes, xs)]
    drawn = case.extra
    offset = next(iter(drawn.offsets.values()), 0.0)
    values = (f"values around {offset * drawn.scale:g} with a spread of {drawn.scale:g}" if offset
              else f"values of scale {drawn.scale:g}")
    label = f"a generated input: {_seq_label((xs[0].shape[1],), case.kwargs, steps)} ({values})"
    return dataclasses.replace(case, args=((xs[0].shape[1],), dict(case.kwargs), steps, None), kwargs={},
                               label=label)


# the contract's inputs: (N, C) float32 batches (the pin: (N, C) only; float32 as nn.BatchNorm1d's own
# parameters) of any small size, one feature included; three calls in train and eval mode in several orders;
# one-row batches in eval mode (train mode needs two: the where); values tiny (variance below eps), O(1),
# large, and far from 0 (one-pass variances cancel); eps and momentum at their edges (momentum 0: the running
# statistics never move). momentum=None (nn's cumulative average) is outside the syllabus' signature;
# momentum 1 is left out: there the reversed momentum and eval-with-batch-statistics slips give the same
# outputs as others on a one-row batch, and the feedback would name the wrong one
BN_DOMAIN = Domain(
    args=(*(Arrays(dims=(n, "C"), dtypes=("float32",), offsets=(0.0, 100.0)) for n in ("n1", "n2", "n3")), MODES),
    kwargs={"eps": (OMIT, 1e-3, 0.5), "momentum": (OMIT, 0.0, 0.3)}, names=("x1", "x2", "x3", "modes"),
    dim_sizes={"n1": (1, 6), "n2": (1, 6), "n3": (1, 6), "C": (1, 4)}, scales=(0.01, 1.0, 100.0),
    same_offsets=True, where=_well_posed, examples=24)


def _scaled_per_feature(got, expected) -> bool:
    """Each feature of ``got`` is NaN or a positive multiple of the expected one: the mean was right, the
    variance it was divided by was not."""
    got, expected = to_numpy(got), to_numpy(expected)
    if not isinstance(got, np.ndarray) or got.shape != expected.shape:
        return False
    got, expected = got.astype(float), expected.astype(float)
    for g, e in zip(got.T, expected.T):
        if np.isnan(g).all():
            continue
        k = float(g @ e / (e @ e)) if e @ e > 0 else 0.0
        if not np.isfinite(g).all() or k <= 0 or np.abs(g - k * e).max() > 1e-3 * max(1.0, np.abs(g).max()):
            return False
    return True


def _one_pass(drawn, case, rec) -> bool:
    """Far from 0 only, a train call whose features are rescaled (or NaN): a variance that cancels."""
    if not any(drawn.extra.offsets.values()):
        return False
    expected = oracle(*case.args)
    for (mode, _), got, exp in zip(case.args[2], rec.get("outputs", []), expected):
        if tclose(*TOL)(got, exp):
            return mode == "train" and _scaled_per_feature(got, exp)
    return False


def _judge_drawn(cases, observations):
    for drawn, rec in zip(cases, observations):
        case = _as_bn_case(drawn)
        failure = _judge([case], [rec])
        if failure is None:
            continue
        if failure.mistake is None and _one_pass(drawn, case, rec):
            return incorrect(case, "far from 0 your train-mode output is off by a factor per feature: your "
                             "variance lost its precision. E[x^2] - E[x]^2 cancels in float32 when the mean is "
                             "large next to the spread; take the mean first, then the mean of (x - mean)^2 "
                             "(x.var(0, unbiased=False)).", "one-pass-variance")
        return failure
    return None


def _args_drawn(target, cases):
    return target, [_as_bn_case(c).args for c in cases]


BatchNorm1d = Exercise(
    "BatchNorm1d",
    blocked=("torch.nn.BatchNorm1d", "torch.nn.functional.batch_norm", "torch.batch_norm", "torch.native_batch_norm",
             "torch.nn.functional.instance_norm", "torch.nn.functional.layer_norm", "torch.nn.functional.group_norm"),
    skill="deep learning",
    hints=(
        "Train mode: normalise each feature with the batch's mean and biased variance, then scale and shift "
        "(gamma, beta), and update running averages. Eval mode: normalise with the running averages instead.",
        "Register gamma/beta with nn.Parameter (ones/zeros) and the running statistics with register_buffer "
        "(zeros/ones). running = (1 - momentum) * running + momentum * batch_stat, with the *unbiased* variance.",
        "`if self.training: mean, var = x.mean(0), x.var(0, unbiased=False)`; update under torch.no_grad(): "
        "`self.running_var.mul_(1 - m).add_(m * x.var(0, unbiased=True))`; `else: mean, var = self.running_mean, "
        "self.running_var`; `return self.weight * (x - mean) / torch.sqrt(var + self.eps) + self.bias`",
    ),
    checks=(
        _check("the example in the notebook", 1, _example),
        _check("train mode normalises with the batch's statistics", 2,
               lambda: [_case(1, (4,), {}, ["train"]), _case(2, (1,), {}, ["train"], n=5),
                        _case(3, (6,), {}, ["train", "train"], n=32)]),
        _check("running statistics: eval mode after training matches nn.BatchNorm1d", 3,
               lambda: [_case(4, (5,), {}, ["train", "train", "train", "eval"]),
                        _case(5, (3,), {}, ["eval", "train", "eval", "train", "eval"], n=10)]),
        _check("honours eps and momentum", 2,
               lambda: [_case(6, (3,), {"eps": 0.5, "momentum": 0.3}, ["train", "train", "eval"], n=12)]),
        _check("learnable scale and shift (gamma, beta), as in nn.BatchNorm1d", 1,
               lambda: [_case(7, (4,), {}, ["train", "eval"], affine=True)]),
        generated(BN_DOMAIN, _judge_drawn, 1, seed_for("06_deep_learning", "BatchNorm1d", "domain"),
                  probe=batchnorm_probe, probe_args=_args_drawn),
    ),
)
