"""bf16_train_step: forward under CPU bfloat16 autocast, float32 master weights, backward and step outside.

The instrumented model's forward hooks record each nn.Linear output dtype (bfloat16 under autocast);
the optimizer records whether autocast was on at step time; warnings are captured (autocast("cuda")
on a machine without CUDA warns and runs in float32). The parameter update must be within 5% (relative
L2) of the reference autocast step's, the returned loss a Python float within 2% of the reference's.
"""
from __future__ import annotations

import numpy as np
import torch

from graders.engine.spec import Case, Check, Exercise

from .common import error_failure, incorrect, pinned, to_numpy, what
from .sandbox_loops import training_probe
from .sandbox_models import build_bf16, parameters_of, reset

EX = "bf16_train_step"
_CACHE: dict = {}


@pinned
def reference_step(spec: dict):
    """(parameters before, parameters after, loss) of the reference mixed-precision step."""
    key = repr(sorted(spec.items()))
    if key not in _CACHE:
        model, loss_fn, optimizer, x, y = build_bf16(spec)
        before = parameters_of(model)
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
            loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        reset()
        _CACHE[key] = (before, parameters_of(model), float(loss.item()))
    return _CACHE[key]


NAMED = ("model-to-bf16", "autocast-cuda", "no-autocast", "step-inside-autocast", "step-skipped", "loss-as-tensor")


def _flat(params):
    return np.concatenate([np.asarray(to_numpy(p), dtype=np.float64).ravel() for p in params])


def _dtype_failure(case, obs):
    """bf16 weights are named even when the step then failed (x float32 against bf16 weights)."""
    if any(d != "float32" for d in obs.get("dtypes", [])):
        return incorrect(case, "the parameters are no longer float32: model.to(torch.bfloat16) rounds small updates "
                         "away. Keep float32 weights and run only the forward under torch.autocast(device_type='cpu', "
                         "dtype=torch.bfloat16).", "model-to-bf16")
    return None


def _autocast_failure(case, obs):
    linear = [e[1] for e in obs["events"] if e[0] == "linear"]
    if not linear:
        return incorrect(case, "your step never ran the model's forward pass.")
    if any(d != "bfloat16" for d in linear):
        if any("cuda" in w.lower() for w in obs.get("warnings", [])):
            return incorrect(case, "the Linear layers ran in float32: torch.autocast('cuda', ...) on a machine without "
                             "CUDA only warns and is disabled; use device_type='cpu', dtype=torch.bfloat16.",
                             "autocast-cuda")
        return incorrect(case, f"the Linear layers' outputs were {sorted(set(linear))}, not bfloat16: run the forward "
                         "under torch.autocast(device_type='cpu', dtype=torch.bfloat16).", "no-autocast")
    steps = [e for e in obs["events"] if e[0] == "step"]
    if any(on for _, on in steps):
        return incorrect(case, "optimizer.step() ran inside the autocast block: leave the block after the forward "
                         "(and the loss), then call backward() and step().", "step-inside-autocast")
    return None


def _update_failure(case, obs):
    before, after, _ = reference_step(case.extra)
    steps = [e for e in obs["events"] if e[0] == "step"]
    got = obs["params"]
    if len(got) != len(before) or any(tuple(g.shape) != tuple(b.shape) for g, b in zip(got, before)):
        return incorrect(case, "the model's parameters changed shape.")
    delta, ref = _flat(got) - _flat(before), _flat(after) - _flat(before)
    if not steps or not np.any(delta):
        return incorrect(case, "the parameters did not change: the optimizer step was skipped (a GradScaler skips "
                         "steps whose scaled gradients overflow, and bfloat16 needs no scaler): call "
                         "optimizer.step() once.", "step-skipped")
    rel = float(np.linalg.norm(delta - ref) / np.linalg.norm(ref))
    if rel > 0.05:
        return incorrect(case, f"your parameter update differs from one bfloat16-autocast step by {rel:.0%} "
                               "(relative L2; "
                         "tolerance 5%): zero_grad, forward and loss under autocast, backward, one optimizer.step().")
    return None


def _loss_failure(case, obs):
    value = obs["value"]
    if isinstance(value, torch.Tensor):
        return incorrect(case, "you returned the loss as a tensor: return a Python float (loss.item()), which also "
                         "frees the graph.", "loss-as-tensor")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (float, int, np.floating)):
        return incorrect(case, f"expected the loss as a Python float, got {what(value)}.")
    ref = reference_step(case.extra)[2]
    if abs(float(value) - ref) > 0.02 * abs(ref):
        return incorrect(case, "the returned loss is more than 2% away from the loss of the batch before the step: "
                         "return loss.item() of this step's forward pass.")
    return None


def _judge(*parts):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            failure = _dtype_failure(case, obs)
            if failure:
                return failure
            if "error" in obs:
                return error_failure(case, obs["error"])
            for part in parts:
                failure = part(case, obs)
                if failure:
                    return failure
        return None

    return judge


def _spec(seed, optimizer="sgd", lr=0.1, momentum=0.9, n=64):
    return {"kind": "bf16", "seed": seed, "d_in": 16, "hidden": 32, "d_out": 5, "loss": "ce", "n": n,
            "optimizer": optimizer, "lr": lr, "momentum": momentum}


def _case(spec, note=""):
    opt = "AdamW" if spec["optimizer"] == "adamw" else f"SGD (lr={spec['lr']}, momentum {spec['momentum']})"
    return Case((), {}, f"a float32 MLP 16-32-5, a batch of {spec['n']}, cross-entropy, {opt}{note}", extra=spec)


def _check(title, points, cases, *parts):
    return Check(title, points, cases, _judge(*parts), probe=training_probe,
                 probe_args=lambda target, cs: (target, [c.extra for c in cs]))


EXAMPLE = [_case(_spec(41, n=8), " (the notebook's example)")]
MAIN = [_case(_spec(42)), _case(_spec(43, "adamw", lr=1e-3)), _case(_spec(44, lr=1e-3, momentum=0.0, n=32))]

bf16_train_step = Exercise(
    EX,
    skill="training efficiency",
    hints=(
        ("Mixed precision keeps float32 master weights and runs only the matrix products in bfloat16; autocast "
        "does the casting for you, on the device you name. bfloat16 has float32's range, so no loss scaling."),
        ("with torch.autocast(device_type='cpu', dtype=torch.bfloat16): loss = loss_fn(model(x), y); then, "
        "outside the block: optimizer.zero_grad(); loss.backward(); optimizer.step(); return loss.item()."),
        ("`with torch.autocast(device_type=\"cpu\", dtype=torch.bfloat16): loss = loss_fn(model(x), y)` then "
        "`optimizer.zero_grad(); loss.backward(); optimizer.step(); return float(loss.item())`"),
    ),
    checks=(
        _check("the example in the notebook", 1, EXAMPLE, _autocast_failure, _update_failure, _loss_failure),
        _check("forward under CPU bfloat16 autocast, float32 weights, step outside", 3, MAIN, _autocast_failure,
               _update_failure),
        _check("the update matches a bfloat16-autocast step (5%)", 3, MAIN, _update_failure),
        _check("returns the loss as a Python float (2%)", 3, MAIN, _loss_failure),
    ),
)
