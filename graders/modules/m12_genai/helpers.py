"""Sandbox-side probes of 12_genai (decoding, attention, LoRA): they call learner code and report plain data.

Only this file and the ``sandbox_*`` files of the module are imported inside the sandbox; oracles,
references and mistake variants stay in the grading process. ``nn.Module`` objects never cross the
process boundary: each probe builds what it needs here (from seeds and tensors the case carries) and
returns tensors, numbers and recorded events.
"""
from __future__ import annotations

import operator
import random

import numpy as np
import torch
from torch import nn

from graders.engine.sandbox.probes import shares_child

from . import sandbox_models as models


def as_token(value):
    """A token id as a Python int (ints, numpy integers, one-element integer tensors); None otherwise."""
    if isinstance(value, (bool, np.bool_)):
        return None
    try:
        return int(operator.index(value))
    except TypeError:
        return None


def _reseed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# ------------------------------------------------------------------ sample
def _draws(fn, logits, kwargs, seed, n):
    rng = np.random.default_rng(seed)
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        token = as_token(fn(logits.copy(), rng=rng, **kwargs))
        if token is None:
            raise TypeError("sample must return an int token id")
        out[i] = token
    return out


@shares_child
def sampling_probe(ctx, target, scenarios):
    """Per scenario ``(logits, kwargs, seed, n, again)``: n draws from one ``default_rng(seed)``; with
    ``again``, the same draws once more after reseeding every global RNG differently."""
    fn = ctx.lookup(target)
    out = []
    for i, (logits, kwargs, seed, n, again) in enumerate(scenarios):
        ctx.progress(i)
        _reseed(1)
        first = ctx.observe(_draws, (fn, logits, dict(kwargs), seed, n))
        if "error" in first or not again:
            out.append(first)
            continue
        _reseed(2)
        second = ctx.observe(_draws, (fn, logits, dict(kwargs), seed, n))
        out.append({"value": first["value"], "again": second.get("value"), "error_again": second.get("error")})
    return out


# ------------------------------------------------------------------ CausalSelfAttention
def describe_module(obj) -> dict:
    is_module = isinstance(obj, nn.Module)
    params = [(name, tuple(p.shape), isinstance(p, nn.Parameter), bool(p.requires_grad))
              for name, p in obj.named_parameters()] if is_module else []
    return {"is_module": is_module, "params": params, "type": type(obj).__name__}


def _as_pair(cache):
    if isinstance(cache, (tuple, list)) and len(cache) == 2 and all(isinstance(t, torch.Tensor) for t in cache):
        return cache[0].detach().clone(), cache[1].detach().clone()
    return None


def _call(ctx, fn, *args, stage="", **kwargs):
    """Call learner code, keeping the raw result: (result, None) or (None, error record)."""
    holder = {}

    def call():
        holder["out"] = fn(*args, **kwargs)

    got = ctx.observe(call, stage=stage)
    return (holder.get("out"), None) if "error" not in got else (None, got["error"])


@shares_child
def attention_probe(ctx, target, scenarios):
    """Per scenario ``(d, n_heads, state_dict, x, schedules)``: build, load the grader's weights
    (strict), then for each schedule (chunk lengths summing to T) feed the chunks in order, passing back
    the cache each call returned. Reports each call's output and cache."""
    cls = ctx.lookup(target)
    out = []
    for i, (d, n_heads, state, x, schedules) in enumerate(scenarios):
        ctx.progress(i)
        module, error = _call(ctx, cls, d, n_heads, stage="the constructor")
        if error:
            out.append({"error": error})
            continue
        rec = {"desc": describe_module(module), "runs": []}
        if rec["desc"]["is_module"]:
            _, error = _call(ctx, module.load_state_dict, {k: v.clone() for k, v in state.items()}, strict=True,
                             stage="load_state_dict")
            if error:
                rec["load_error"] = error
            else:
                rec["runs"] = [_run_schedule(ctx, module, x, schedule) for schedule in schedules]
        out.append({"value": ctx.plain(rec)})
    return out


def _run_schedule(ctx, module, x, schedule) -> dict:
    ys, shapes, cache, start = [], [], None, 0
    with torch.no_grad():
        for n in schedule:
            chunk = x[:, start:start + n].clone()
            if cache is None:
                result, error = _call(ctx, module, chunk, stage="forward(x)")
            else:
                result, error = _call(ctx, module, chunk, cache=cache, stage="forward(x, cache)")
            if error:
                return {"error": error, "at": start, "cached": cache is not None}
            if not (isinstance(result, (tuple, list)) and len(result) == 2 and isinstance(result[0], torch.Tensor)):
                return {"bad_return": ctx.plain(result), "at": start}
            pair = _as_pair(result[1])
            if pair is None:
                return {"bad_cache": ctx.plain(result[1]), "at": start}
            ys.append(result[0].detach().clone())
            shapes.append([tuple(pair[0].shape), tuple(pair[1].shape)])
            cache, start = result[1], start + n
    return {"ys": ys, "shapes": shapes, "final": list(_as_pair(cache))}


# ------------------------------------------------------------------ generate
@shares_child
def generate_probe(ctx, target, scenarios):
    """Per scenario ``(lm_kwargs, prompt, max_new_tokens, eos_id)``: the grader's TinyLM handed to the
    learner's ``generate``; reports the value and every model call as ``[T, T_past or None]``."""
    fn = ctx.lookup(target)
    out = []
    for i, (lm, prompt, max_new, eos) in enumerate(scenarios):
        ctx.progress(i)
        model = models.TinyLM(**lm)
        models.reset()
        kwargs = {} if eos is None else {"eos_id": eos}
        with torch.no_grad():
            obs = ctx.observe(fn, (model, list(prompt), max_new), kwargs)
        obs["calls"] = [[e[1], e[2]] for e in models.LOG if e[0] == "call"]
        out.append(obs)
    return out


# ------------------------------------------------------------------ LoRALinear
LORA_STAGES = ("init", "train", "set", "merge", "merge_twice", "merged_ignores_A", "unmerge", "unmerge_twice")


@shares_child
def lora_probe(ctx, target, scenarios):
    """Per scenario (a dict): wrap the grader's nn.Linear, then record the output at each stage:
    at construction, after two SGD steps on the trainable parameters, with the grader's A and B, merged,
    merged twice, merged with A zeroed (then restored), unmerged, unmerged twice."""
    cls = ctx.lookup(target)
    out = []
    for i, sc in enumerate(scenarios):
        ctx.progress(i)
        torch.manual_seed(sc["seed"])
        base = nn.Linear(sc["in"], sc["out"], bias=sc["bias"])
        with torch.no_grad():
            base.weight.copy_(sc["W"])
            if sc["bias"]:
                base.bias.copy_(sc["b"])
        args = (base,) if sc["r"] is None else (base, sc["r"], sc["alpha"])
        lora, error = _call(ctx, cls, *args, stage="the constructor")
        if error:
            out.append({"error": error})
            continue
        out.append({"value": ctx.plain(_lora_stages(ctx, lora, sc))})
    return out


def _lora_stages(ctx, lora, sc) -> dict:
    rec = {"desc": describe_module(lora), "outputs": {}}
    A, B = getattr(lora, "A", None), getattr(lora, "B", None)
    rec["A"] = _param_facts(A)
    rec["B"] = _param_facts(B)
    if not rec["desc"]["is_module"] or not isinstance(A, torch.Tensor) or not isinstance(B, torch.Tensor):
        return rec
    trainable = [p for p in lora.parameters() if p.requires_grad]
    rec["only_A_B_trainable"] = len(trainable) == 2 and {id(p) for p in trainable} == {id(A), id(B)}
    rec["n_trainable"] = sum(p.numel() for p in trainable)
    x = sc["x"]

    def forward():
        with torch.no_grad():
            return _call(ctx, lora, x.clone(), stage="forward")

    def record(stage, action=None):
        if action is not None:
            _, error = _call(ctx, action, stage=stage)
            if error:
                rec["error"] = error
                return False
        y, error = forward()
        if error:
            rec["error"] = error
            return False
        rec["outputs"][stage] = y.detach().clone() if isinstance(y, torch.Tensor) else y   # made plain with rec
        return isinstance(y, torch.Tensor)

    def train():
        optimizer = torch.optim.SGD(trainable, lr=sc["lr"])
        for _ in range(2):
            optimizer.zero_grad()
            nn.functional.mse_loss(lora(sc["train_x"]), sc["train_y"]).backward()
            optimizer.step()

    def set_grader_weights():
        with torch.no_grad():
            A.copy_(sc["A"])
            B.copy_(sc["B"])

    saved = {}

    def zero_A():
        saved["A"] = A.detach().clone()
        with torch.no_grad():
            A.zero_()

    def restore_A():
        with torch.no_grad():
            A.copy_(saved["A"])

    steps = [("init", None), ("train", train)]
    if not trainable:
        steps = steps[:1]
    for stage, action in steps:
        if not record(stage, action):
            return rec
    rec["trained_A"], rec["trained_B"] = A.detach().clone(), B.detach().clone()
    if tuple(A.shape) != tuple(sc["A"].shape) or tuple(B.shape) != tuple(sc["B"].shape):
        return rec
    for stage, action in [("set", set_grader_weights), ("merge", getattr(lora, "merge", None)),
                          ("merge_twice", getattr(lora, "merge", None)), ("merged_ignores_A", zero_A)]:
        if action is None:
            rec["error"] = {"type": "AttributeError", "message": "no method `merge`", "trace": [], "stage": stage,
                            "not_implemented": False}
            return rec
        if not record(stage, action):
            return rec
    restore_A()
    for stage in ("unmerge", "unmerge_twice"):
        action = getattr(lora, "unmerge", None)
        if action is None:
            rec["error"] = {"type": "AttributeError", "message": "no method `unmerge`", "trace": [], "stage": stage,
                            "not_implemented": False}
            return rec
        if not record(stage, action):
            return rec
    return rec


def _param_facts(value) -> dict:
    if not isinstance(value, torch.Tensor):
        return {"present": value is not None, "tensor": False}
    return {"present": True, "tensor": True, "parameter": isinstance(value, nn.Parameter),
            "shape": tuple(value.shape), "requires_grad": bool(value.requires_grad)}

