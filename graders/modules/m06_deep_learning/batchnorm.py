"""BatchNorm1d: nn.BatchNorm1d's outputs in train and eval mode, running statistics included.

Graded on behaviour only: a sequence of train and eval calls, compared call by call
with nn.BatchNorm1d (the oracle). The running statistics show in the eval outputs,
so no attribute name is required. Known slips are replayed with a manual version.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from graders.engine.judges import first_error
from graders.engine.spec import Case, Exercise, checks_with, per_case

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
           eval_batch=False, train_running=False, eps_outside=False, defaults=False):
    """A float64 BatchNorm1d with switches for the classic slips."""
    c = args[0]
    eps, m = (1e-5, 0.1) if defaults else (kwargs.get("eps", 1e-5), kwargs.get("momentum", 0.1))
    rm, rv, gamma, beta = np.zeros(c), np.ones(c), np.ones(c), np.zeros(c)

    def forward(x, train):
        nonlocal rm, rv
        x = to_numpy(x).astype(float)
        mean, var_b, var_u = x.mean(0), x.var(0), x.var(0, ddof=1)
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
        _check("running statistics: eval mode after training matches nn.BatchNorm1d", 4,
               lambda: [_case(4, (5,), {}, ["train", "train", "train", "eval"]),
                        _case(5, (3,), {}, ["eval", "train", "eval", "train", "eval"], n=10)]),
        _check("honours eps and momentum", 2,
               lambda: [_case(6, (3,), {"eps": 0.5, "momentum": 0.3}, ["train", "train", "eval"], n=12)]),
        _check("learnable scale and shift (gamma, beta), as in nn.BatchNorm1d", 1,
               lambda: [_case(7, (4,), {}, ["train", "eval"], affine=True)]),
    ),
)
