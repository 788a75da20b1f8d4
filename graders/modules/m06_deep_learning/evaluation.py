"""evaluate: the sample-weighted loss and the accuracy, in eval mode, without gradients.

The model arrives in train mode and holds a dropout layer, so evaluating in train
mode is both recorded (every forward call logs its mode) and visible in the loss.
"""
from __future__ import annotations

import numpy as np
import torch

from graders.engine.judges import first_error
from graders.engine.spec import Case, Exercise

from . import helpers
from .common import as_float, incorrect, pinned, states_equal, to_numpy, what
from .training import forward_events, loop_check, replay, scenario, scenario_label

_REF: dict = {}


@pinned
def reference_eval(spec: dict):
    """[(mean loss, n, n correct)] per batch, in eval mode without gradients."""
    key = repr(sorted(spec.items()))
    if key not in _REF:
        model, loader, _, loss_fn = helpers.build(spec)
        model.eval()
        rows = []
        with torch.no_grad():
            for xb, yb in loader:
                out = model(xb)
                rows.append((loss_fn(out, yb).item(), len(xb), int((out.argmax(1) == yb).sum())))
        helpers.reset()
        _REF[key] = rows
    return _REF[key]



def _eval_value_judge(cases, observations):
    failure = first_error(cases, observations)
    if failure:
        return failure
    for case, obs in zip(cases, observations):
        rows = reference_eval(case.extra)
        value = to_numpy(obs["value"])
        pair = [as_float(v) for v in value] if isinstance(value, (tuple, list)) and len(value) == 2 else None
        if pair is None or None in pair:
            return incorrect(case, f"expected a pair (loss, accuracy) of numbers, got {what(obs['value'])}.")
        loss, acc = pair
        values, sizes, correct = (np.array(c, dtype=float) for c in zip(*rows))
        exp_loss, exp_acc = (values * sizes).sum() / sizes.sum(), correct.sum() / sizes.sum()
        if any(f[1] or f[2] for f in forward_events(obs)):
            return _train_mode_failure(case)
        if not np.isclose(loss, exp_loss, rtol=1e-5, atol=1e-7):
            if np.isclose(loss, values.mean(), rtol=1e-5, atol=1e-7):
                return incorrect(case, "your loss is the plain mean of the batch losses; the last batch is shorter, "
                                 "so weight each batch by its size: sum(loss_b * n_b) / N.", "unweighted-mean")
            return incorrect(case, "expected the sample-weighted mean loss over the loader, in eval mode.")
        if not np.isclose(acc, exp_acc, rtol=0, atol=1e-6):     # float32 means are fine; 1/N apart
            if np.isclose(acc, 100 * exp_acc):
                return incorrect(case, "your accuracy is a percentage; return the fraction of correct "
                                 "predictions, between 0 and 1.", "accuracy-percent")
            if np.isclose(acc, np.mean(correct / sizes)):
                return incorrect(case, "your accuracy averages the per-batch accuracies; the last batch is "
                                 "shorter, so count correct predictions over all N samples.", "unweighted-accuracy")
            return incorrect(case, "expected the accuracy: the fraction of samples whose highest score "
                             "(argmax over classes) is the true label.")
    return None


def _train_mode_failure(case):
    return incorrect(case, "the model ran in train mode: call model.eval() first, or dropout keeps zeroing units "
                     "and the loss is noisy.", "evaluate-train-mode")


def _eval_mode_judge(cases, observations):
    failure = first_error(cases, observations)
    if failure:
        return failure
    for case, obs in zip(cases, observations):
        forwards = forward_events(obs)
        if not forwards:
            return incorrect(case, "your evaluate never called the model.")
        if any(f[1] or f[2] for f in forwards):
            return _train_mode_failure(case)
        if any(f[3] for f in forwards):
            return incorrect(case, "the forward pass tracked gradients: wrap the loop in `with torch.no_grad():` "
                             "(or torch.inference_mode()); evaluation needs no graph, and building one costs "
                             "memory and time.", "grad-enabled")
        initial = replay(case.extra)[0]
        if not states_equal(obs["state"], initial):
            return incorrect(case, "evaluate changed the model's weights: it must only measure (no optimizer "
                             "step, and no in-place conversion such as model.half() or model.to(dtype)).", "trains")
    return None


EVAL_SPECS = [scenario(50, 4, 3, 16, p_drop=0.5), scenario(37, 6, 4, 10, p_drop=0.5), scenario(23, 3, 5, 8, p_drop=0.5)]
EVAL_EXAMPLE = [Case((), {}, "the notebook's example (10 samples in batches of 4, 4, 2)",
                     extra=scenario(10, 3, 2, 4, p_drop=0.5))]

evaluate = Exercise(
    "evaluate",
    skill="deep learning",
    hints=(
        "Evaluation measures, it does not train: eval mode (dropout off, batch norm uses its running statistics) "
        "and no gradient tracking.",
        "model.eval(); with torch.no_grad(): per batch, add loss.item() * len(x) and the number of correct "
        "argmax predictions; divide both by the number of samples.",
        "`correct += (out.argmax(dim=1) == yb).sum().item()`; `return total_loss / n, correct / n`",
    ),
    checks=(
        loop_check("the example in the notebook", 1, EVAL_EXAMPLE, _eval_value_judge),
        loop_check("returns the sample-weighted mean loss and the accuracy", 4,
               [Case((), {}, scenario_label(s) + ", model handed over in train mode", extra=s) for s in EVAL_SPECS],
               _eval_value_judge),
        loop_check("runs in eval mode without gradients, and changes no weights", 5,
               [Case((), {}, scenario_label(s) + ", model handed over in train mode", extra=s) for s in EVAL_SPECS],
               _eval_mode_judge),
    ),
)
