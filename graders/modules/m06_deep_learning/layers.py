"""Linear: registered parameters, nn.Linear's initialisation, matches F.linear.

Parameters are found by shape, not by name: a weight may be stored (out, in) like
nn.Linear or (in, out); the oracle follows whichever the learner chose.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import torch
import torch.nn.functional as F

from graders.engine.domains import Arrays, Domain
from graders.engine.search import generated
from graders.engine.spec import Case, Exercise, checks_with, per_case, seed_for

from .common import incorrect, module_failure, pinned, tclose, to_numpy
from .observers import linear_probe

LINEAR_HINTS = (
    "A layer is an nn.Module whose learnable tensors are nn.Parameter objects assigned as attributes: that is "
    "what makes them appear in .parameters(), in the state_dict and in the optimizer.",
    "In __init__: call super().__init__(), then create weight (out, in) and bias (out,) as nn.Parameter, drawn "
    "uniformly in [-1/sqrt(in_features), 1/sqrt(in_features)]. forward returns x @ weight.T + bias.",
    "`bound = 1 / math.sqrt(in_features); self.weight = nn.Parameter(torch.empty(out_features, in_features)"
    ".uniform_(-bound, bound))`; the same for the bias with shape (out_features,).",
)


def _gen_x(seed, *shape):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def find_linear(rec, n_in, n_out):
    """(W as (out, in), b) from the reported parameters, or None when they are not a weight and a bias."""
    params = rec.get("params", [])
    mats = [p[1] for p in params if p[1].ndim == 2]
    vecs = [p[1] for p in params if p[1].ndim == 1]
    if len(params) != 2 or len(mats) != 1 or len(vecs) != 1 or tuple(vecs[0].shape) != (n_out,):
        return None
    W = mats[0]
    if tuple(W.shape) == (n_out, n_in):
        return W, vecs[0]
    if tuple(W.shape) == (n_in, n_out):
        return W.T, vecs[0]
    return None


def _param_list(rec):
    found = ", ".join(f"{p[0]} {tuple(p[1].shape)}" for p in rec.get("params", []))
    return found or "none"


def linear_or_failure(case, rec):
    """((W as (out, in), b), None), or (None, the failure that names what is missing)."""
    n_in, n_out = case.args[:2]
    failure = module_failure(case, rec, "Linear")
    if failure:
        return None, failure
    if not rec["params"] and rec["loose"]:
        return None, incorrect(case, f"your layer keeps {', '.join(rec['loose'])} as plain tensors, so "
                               ".parameters() is empty and no optimizer would ever update them: wrap them in "
                               "nn.Parameter(...).", "plain-tensors")
    found = find_linear(rec, n_in, n_out)
    if found is None:
        return None, incorrect(case, "expected exactly two parameters, a weight of shape (out_features, "
                               f"in_features) and a bias of shape (out_features,); found: {_param_list(rec)}.",
                               "parameters")
    return found, None


def _registration(cases, observations):
    for case, rec in zip(cases, observations):
        _, failure = linear_or_failure(case, rec)
        if failure:
            return failure
        if "backward_error" in rec:
            return incorrect(case, f"backpropagating through your layer failed ({rec['backward_error']}).")
        if len(rec.get("with_grad", [])) != 2:
            return incorrect(case, "after backward() not every parameter has a gradient: forward must compute "
                             "with the parameters themselves (no .data, .detach() or copies).", "no-grad-flow")
    return None


@pinned
def _forward_judge(cases, observations):
    for case, rec in zip(cases, observations):
        x = case.args[2]
        found, failure = linear_or_failure(case, rec)
        if failure:
            return failure
        expected = F.linear(x, *found)
        problem = tclose()(rec.get("out"), expected)
        if problem:
            if tclose()(rec.get("out"), x @ found[0].T) is None:
                return incorrect(case, "your output lacks the bias: y = x @ weight.T + bias.", "no-bias")
            if x.ndim == 1 and tclose()(rec.get("out"), expected[None]) is None:
                return incorrect(case, "on a single sample without a batch axis your output gained an axis of "
                                 "length 1: nn.Linear maps (*, in_features) to (*, out_features), any leading "
                                 "axes or none. Add the bias as it is (shape (out_features,)); broadcasting "
                                 "does the rest, no view(1, -1).", "bias-batch-axis")
            return incorrect(case, f"expected x @ weight.T + bias, like F.linear with your parameters; {problem}.")
    return None


def _ks_uniform(values, bound):
    """Kolmogorov-Smirnov distance between the values and uniform(-bound, bound)."""
    v = np.sort(np.asarray(values, dtype=float).ravel())
    cdf = np.clip((v + bound) / (2 * bound), 0, 1)
    n = len(v)
    return float(max(np.max(np.arange(1, n + 1) / n - cdf), np.max(cdf - np.arange(n) / n)))


def _init_judge(cases, observations):
    for case, rec in zip(cases, observations):
        n_in, n_out = case.args[:2]
        found, failure = linear_or_failure(case, rec)
        if failure:
            return failure
        bound = 1 / np.sqrt(n_in)
        for name, t in (("weight", found[0]), ("bias", found[1])):
            v = to_numpy(t).astype(float).ravel()
            top = float(np.abs(v).max())
            if name == "bias" and top == 0:
                return incorrect(case, "your bias starts at zero; nn.Linear draws it from the same uniform "
                                 "distribution as the weight, U(-1/sqrt(in_features), 1/sqrt(in_features)).",
                                 "bias-zero")
            if top > bound * (1 + 1e-5):
                if abs(np.std(v) - 1.0) < 0.1:
                    return incorrect(case, f"your {name} looks like torch.randn (standard normal, std 1): values "
                                     "far beyond nn.Linear's range. Draw uniformly in +-1/sqrt(in_features).",
                                     "init-normal")
                return incorrect(case, f"your {name} has values up to {top:.3g}, beyond nn.Linear's bound "
                                 f"1/sqrt(in_features) = {bound:.3g}.", "init-bounds")
            limit = 1.6 * 1.63 / np.sqrt(v.size) + 0.01
            if _ks_uniform(v, bound) > limit:
                if n_out != n_in and _ks_uniform(v, 1 / np.sqrt(n_out)) <= limit:
                    return incorrect(case, f"your {name} is uniform in +-1/sqrt(out_features); nn.Linear uses "
                                     "in_features (the fan-in): +-1/sqrt(in_features).", "init-fan-out")
                return incorrect(case, f"your {name} is not spread uniformly over [-1/sqrt(in_features), "
                                 f"1/sqrt(in_features)] = +-{bound:.3g} (its values reach {top:.3g}): use "
                                 "uniform_(-bound, bound) or nn.init.kaiming_uniform_(w, a=math.sqrt(5)).",
                                 "init-distribution")
    return None


def _linear_cases(specs):
    out = []
    for i, (n_in, n_out, xshape) in enumerate(specs):
        x = _gen_x(1000 + i, *xshape, n_in) if xshape is not None else None
        what = "" if x is None else f", x of shape {tuple(x.shape)}"
        out.append(Case((n_in, n_out, x, 11 + i), {}, f"Linear({n_in}, {n_out}){what}"))
    return out



_linear_check = checks_with(probe=linear_probe, probe_args=per_case())


# the contract's inputs: x of any rank from 1 (one sample, no batch axis: nn.Linear takes (*, in_features))
# to 3, every length from 1 (one feature, one row), and 1 to 5 outputs; float32 (a float64 x meets float32
# parameters, which nn.Linear refuses too); values O(1): the layer is linear, a scale finds nothing, and the
# float32 sums of large values differ from F.linear's by more than the tolerance near 0. in_features differs
# from out_features (the where): the judge finds the weight by its shape, (out, in) or (in, out) both allowed
LINEAR_DOMAIN = Domain(args=(Arrays(ranks=(1, 3), dtypes=("float32",)), tuple(range(1, 6))),
                       names=("x", "out_features"), where=lambda args, kwargs: args[0].shape[-1] != args[1],
                       examples=16)


def _as_linear_case(case):
    """A drawn case (x, out_features) in the hand-picked layout (in_features, out_features, x, seed)."""
    x, n_out = case.args
    label = f"{case.label}, as Linear({x.shape[-1]}, {n_out})(x)"
    return dataclasses.replace(case, args=(x.shape[-1], n_out, torch.from_numpy(x.copy()), 0), label=label)


def _forward_judge_drawn(cases, observations):
    return _forward_judge([_as_linear_case(c) for c in cases], observations)


def _args_drawn(target, cases):
    return target, [_as_linear_case(c).args for c in cases]


_EXAMPLE = [Case((3, 2, torch.randn(4, 3, generator=torch.Generator().manual_seed(0)), 0), {},
                 "the notebook's example: Linear(3, 2) on a (4, 3) input")]

Linear = Exercise(
    "Linear",
    blocked=("torch.nn.Linear", "torch.nn.LazyLinear"),
    skill="deep learning",
    hints=LINEAR_HINTS,
    checks=(
        _linear_check("the example in the notebook", 1, _EXAMPLE, _forward_judge),
        _linear_check("weight and bias are registered nn.Parameters that get gradients", 3,
                      _linear_cases([(4, 3, (5,)), (10, 1, (2,))]), _registration),
        _linear_check("forward matches F.linear", 1,
                      _linear_cases([(6, 4, (7,)), (1, 5, (3,)), (16, 32, (10,))]), _forward_judge),
        _linear_check("works on inputs with extra leading dimensions, like nn.Linear", 1,
                      _linear_cases([(5, 3, (2, 4))]), _forward_judge),
        _linear_check("initialised like nn.Linear: uniform in +-1/sqrt(in_features)", 3,
                      _linear_cases([(256, 300, None), (40, 2000, None)]), _init_judge),
        generated(LINEAR_DOMAIN, _forward_judge_drawn, 1, seed_for("06_deep_learning", "Linear", "domain"),
                  probe=linear_probe, probe_args=_args_drawn),
    ),
)
