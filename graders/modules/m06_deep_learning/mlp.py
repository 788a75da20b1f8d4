"""MLP(in_dim, hidden, out_dim, p_drop=0.5): Linear, ReLU, Dropout, Linear.

The judge reads the two layers off the parameters (by shape), computes the eval-mode
output itself, and in train mode solves for the hidden activations that reached the
second layer (out_dim > hidden, so they are identifiable): each must be either 0
(dropped) or relu(x W1 + b1) / (1 - p) (kept and rescaled), with about p dropped.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import torch

from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.search import generated
from graders.engine.spec import Case, Exercise, checks_with, per_case, seed_for

from .common import incorrect, module_failure, tclose, to_numpy, what
from .observers import mlp_probe


def find_layers(rec, in_dim, hidden, out_dim):
    """(W1 (in, hidden), b1, W2 (hidden, out), b2) as float64 arrays, or None."""
    params = [to_numpy(p[1]).astype(float) for p in rec.get("params", [])]
    if len(params) != 4:
        return None
    found = {}
    for p in params:
        for key, shape in (("W1", (in_dim, hidden)), ("W2", (hidden, out_dim))):
            if p.shape == shape:
                found[key] = p
            elif p.shape == shape[::-1]:
                found[key] = p.T
        if p.shape == (hidden,):
            found["b1"] = p
        elif p.shape == (out_dim,):
            found["b2"] = p
    return tuple(found[k] for k in ("W1", "b1", "W2", "b2")) if len(found) == 4 else None


def _layers_or_failure(case, rec):
    failure = module_failure(case, rec, "MLP")
    if failure:
        return None, failure
    in_dim, hidden, out_dim = case.args[0][:3]
    layers = find_layers(rec, in_dim, hidden, out_dim)
    if layers is None:
        found = ", ".join(f"{p[0]} {tuple(p[1].shape)}" for p in rec.get("params", [])) or "none"
        return None, incorrect(case, f"expected two layers: weights ({hidden}, {in_dim}) and ({out_dim}, {hidden}) "
                               f"plus biases ({hidden},) and ({out_dim},), registered as parameters; found: {found}.",
                               "parameters")
    return layers, None


def _same(a, b) -> bool:
    a, b = to_numpy(a), to_numpy(b)
    return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)


def _hidden(x, W1, b1):
    return np.maximum(to_numpy(x).astype(float) @ W1 + b1, 0.0)


def _eval_judge(cases, observations):
    for case, rec in zip(cases, observations):
        layers, failure = _layers_or_failure(case, rec)
        if failure:
            return failure
        W1, b1, W2, b2 = layers
        x = case.args[1]
        expected = (_hidden(x, W1, b1) @ W2 + b2).astype(np.float32)
        first, second = rec["eval"]
        problem = tclose()(first, expected)
        if problem is None and tclose(0, 0)(second, to_numpy(first)) is None:
            continue
        if tclose(0, 0)(second, to_numpy(first)) is not None:
            return _dropout_in_eval(case)
        if tclose()(first, ((to_numpy(x).astype(float) @ W1 + b1) @ W2 + b2).astype(np.float32)) is None:
            return incorrect(case, "your output has no ReLU between the two layers.", "no-relu")
        if tclose()(first, expected.squeeze()) is None and expected.squeeze().shape != expected.shape:
            return incorrect(case, "your output lost an axis of length 1 (a .squeeze() meets one sample or "
                             "out_dim=1): return the (N, out_dim) scores as the last layer gives them.",
                             "squeezed-output")
        return incorrect(case, f"in eval mode the output should be relu(x W1 + b1) W2 + b2 with your parameters; "
                               f"{problem}.")
    return None


def _dropout_in_eval(case):
    return incorrect(case, "in eval mode two calls on the same input gave different outputs: dropout is still "
                     "active. Use nn.Dropout as a submodule (model.eval() switches it off), or pass "
                     "training=self.training to F.dropout (its default is training=True).", "dropout-in-eval")


def _mode_judge(cases, observations):
    for case, rec in zip(cases, observations):
        failure = module_failure(case, rec, "MLP")
        if failure:
            return failure
        p = case.extra
        ev, tr = rec["eval"], rec["train"]
        if not isinstance(to_numpy(ev[0]), np.ndarray):
            return incorrect(case, f"forward should return a tensor of scores; it returned {what(ev[0])}.")
        if not _same(ev[0], ev[1]):
            return _dropout_in_eval(case)
        if p > 0 and (_same(tr[0], ev[0]) or _same(tr[0], tr[1])):
            return incorrect(case, "in train mode your output is deterministic: dropout is never active. Apply "
                             "nn.Dropout(p_drop) (or F.dropout with training=self.training) after the ReLU.",
                             "dropout-never-active")
        if p == 0 and not _same(tr[0], ev[0]):
            return incorrect(case, "with p_drop=0 train and eval outputs must be identical: pass p_drop to the "
                             "dropout layer.", "p-ignored")
    return None


def _classify(case, rec, layers):
    """Solve for the hidden values that reached the last layer; compare them with relu(x W1 + b1)."""
    W1, b1, W2, b2 = layers
    x = case.args[1]
    p = case.extra
    train = to_numpy(rec["train"][0]).astype(float)
    reached = (train - b2) @ np.linalg.pinv(W2)
    if np.abs(reached @ W2 + b2 - train).max() > 1e-3 * max(1.0, np.abs(train).max()):
        return "elsewhere"
    h = _hidden(x, W1, b1)
    on = h > 0.05
    ratio = reached[on] / h[on]
    if np.abs(reached[h <= 0]).max(initial=0.0) > 1e-3:
        return "elsewhere"
    dropped = np.abs(ratio) < 0.02
    kept = ratio[~dropped]
    if not kept.size or np.abs(kept - np.median(kept)).max() > 0.02:
        return "elsewhere"            # the survivors are not all scaled alike: not dropout on these units
    scale, rate = float(np.median(kept)), float(dropped.mean())
    if abs(scale - 1 / (1 - p)) < 0.02 and abs(rate - p) < 0.06:
        return "ok"
    if not dropped.any():
        return "inactive"
    if abs(scale - 1.0) < 0.02 and dropped.any():
        return "unscaled"
    if abs(scale - 1 / (1 - rate)) < 0.1:
        return f"rate {rate:.2f}"     # consistent inverted dropout, with another rate than p_drop
    return "elsewhere"


def _dropout_judge(cases, observations):
    for case, rec in zip(cases, observations):
        layers, failure = _layers_or_failure(case, rec)
        if failure:
            return failure
        p = case.extra
        verdict = _classify(case, rec, layers)
        if verdict == "ok":
            continue
        if verdict == "inactive":
            return incorrect(case, "in train mode no hidden unit was ever dropped: apply nn.Dropout(p_drop) (or "
                             "F.dropout with training=self.training) after the ReLU.", "dropout-never-active")
        if verdict == "unscaled":
            return incorrect(case, "the kept hidden units are not rescaled: dropout multiplies them by 1/(1 - p) "
                             "during training so that eval mode needs no change (nn.Dropout does this).",
                             "no-rescale")
        if verdict.startswith("rate"):
            return incorrect(case, f"about {verdict[5:]} of the hidden units were dropped, but p_drop={p}: pass "
                             "p_drop to the dropout layer.", "p-ignored")
        return incorrect(case, "the dropout is not where it belongs: the order is Linear, ReLU, Dropout, Linear, "
                         "so in train mode each hidden unit after the ReLU is either zeroed or scaled by "
                         "1/(1 - p) before the last layer.", "dropout-placement")
    return None


def _cases(specs):
    out = []
    for i, (args, n) in enumerate(specs):
        x = torch.randn(n, args[0], generator=torch.Generator().manual_seed(100 + i))
        p = args[3] if len(args) > 3 else 0.5
        words = f"MLP{tuple(args)}" + ("" if len(args) > 3 else " (default p_drop)")
        out.append(Case((args, x), {}, f"{words} on a ({n}, {args[0]}) input", extra=p))
    return out



_check = checks_with(probe=mlp_probe, probe_args=per_case())


_EXAMPLE = [Case(((4, 16, 3, 0.5), torch.randn(8, 4, generator=torch.Generator().manual_seed(0))), {},
                 "the notebook's example: MLP(4, 16, 3, p_drop=0.5) on an (8, 4) input", extra=0.5)]
# out_dim > hidden, so the hidden values reaching the last layer can be solved for; rows enough that the
# dropped fraction lands within 0.06 of p_drop (over five standard deviations)
_SPECS = [((5, 4, 16), 1200), ((7, 6, 20, 0.2), 1000), ((3, 5, 12, 0.0), 40)]

# the contract's inputs, for the eval-mode output (dropout's statistics need the hand-picked thousand rows):
# an (N, in_dim) batch from one row and one feature, hidden and out_dim from 1, p_drop given or the default.
# in_dim, hidden and out_dim differ (the where): the judge tells the layers apart by their shapes
MLP_DOMAIN = Domain(
    args=(Arrays(dims=("n", "in_dim"), dtypes=("float32",)), tuple(range(1, 6)), tuple(range(1, 6))),
    kwargs={"p_drop": (OMIT, 0.0, 0.2, 0.5)}, names=("x", "hidden", "out_dim"),
    dim_sizes={"n": (1, 6), "in_dim": (1, 4)},
    where=lambda args, kwargs: len({args[0].shape[1], args[1], args[2]}) == 3, examples=16)


def _as_mlp_case(case):
    """A drawn case (x, hidden, out_dim; p_drop) in the hand-picked layout ((in, hidden, out[, p]), x)."""
    x, hidden, out_dim = case.args
    args = (x.shape[1], hidden, out_dim, *([case.kwargs["p_drop"]] if "p_drop" in case.kwargs else []))
    return dataclasses.replace(case, args=(args, torch.from_numpy(x.copy())), kwargs={},
                               label=f"{case.label}, as MLP{args}(x) in eval mode")


def _eval_judge_drawn(cases, observations):
    return _eval_judge([_as_mlp_case(c) for c in cases], observations)


def _args_drawn(target, cases):
    return target, [_as_mlp_case(c).args for c in cases]


MLP = Exercise(
    "MLP",
    skill="deep learning",
    hints=(
        "Dropout zeroes each hidden unit with probability p during training and scales the survivors by "
        "1/(1 - p); in eval mode it does nothing. nn.Dropout reads the module's train/eval flag for you.",
        "Build the four pieces in __init__ (your Linear or nn.Linear, nn.ReLU, nn.Dropout(p_drop), Linear) and "
        "chain them in forward; model.train() / model.eval() then switch dropout on and off.",
        "`self.net = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU(), nn.Dropout(p_drop), "
        "nn.Linear(hidden, out_dim))`; `def forward(self, x): return self.net(x)`",
    ),
    checks=(
        _check("the example in the notebook", 1, _EXAMPLE, _mode_judge),
        _check("eval mode computes Linear, ReLU, Linear with your parameters", 2, _cases(_SPECS), _eval_judge),
        _check("dropout is active in train mode only", 3, _cases(_SPECS), _mode_judge),
        _check("dropout acts on the hidden layer with rate p_drop and 1/(1-p) scaling", 3,
               _cases(_SPECS[:2]), _dropout_judge),
        generated(MLP_DOMAIN, _eval_judge_drawn, 1, seed_for("06_deep_learning", "MLP", "domain"),
                  probe=mlp_probe, probe_args=_args_drawn),
    ),
)
