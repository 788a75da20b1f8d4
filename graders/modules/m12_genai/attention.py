"""CausalSelfAttention: nanoGPT-layout multi-head causal self-attention with a KV cache.

The grader builds the learner's module, loads its own weights (strict) and feeds the same sequence in
several schedules: one full pass, one token at a time, chunks of several tokens. Every schedule must
give the outputs of one full causal pass (float64 reference, atol 1e-5) and a cache holding the keys
and values of all positions so far. Wrong recipes (SDPA's top-left causal mask with a cache, no mask
with a cache, heads split the other way, no scaling) are replayed here to name the slip.
"""
from __future__ import annotations

import math

import torch

from graders.engine.spec import Case, Check, Exercise, seed_for

from .common import MODULE_ID, error_failure, incorrect, pinned, tclose, what
from .helpers import attention_probe

EX = "CausalSelfAttention"
TOL = tclose(rtol=1e-5, atol=1e-5)
LOOSE = tclose(rtol=1e-4, atol=1e-4)


@pinned
def run_schedule(state, x, n_heads, schedule, mask="bottom-right", heads="nanogpt", scale="head"):
    """Outputs (B, T, d) of feeding ``x`` in chunks with a cache, and the final (k, v), in float64."""
    W, b = state["qkv.weight"].double(), state["qkv.bias"].double()
    Wp, bp = state["proj.weight"].double(), state["proj.bias"].double()
    B, _, d = x.shape
    hd = d // n_heads
    factor = {"head": 1 / math.sqrt(hd), "none": 1.0, "model": 1 / math.sqrt(d)}[scale]
    ys, cache, start = [], None, 0
    for n in schedule:
        q, k, v = (x[:, start:start + n].double() @ W.T + b).split(d, dim=-1)
        if heads == "nanogpt":
            q, k, v = (t.view(B, n, n_heads, hd).transpose(1, 2) for t in (q, k, v))
        else:
            q, k, v = (t.view(B, n, hd, n_heads).permute(0, 3, 1, 2) for t in (q, k, v))
        if cache is not None:
            k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
        S = k.shape[2]
        scores = q @ k.transpose(-2, -1) * factor
        keep = {"bottom-right": torch.ones(n, S, dtype=torch.bool).tril(S - n),
                "top-left": torch.ones(n, S, dtype=torch.bool).tril(),
                "none-with-cache": torch.ones(n, S, dtype=torch.bool).tril(S - n) if cache is None
                else torch.ones(n, S, dtype=torch.bool),
                "none": torch.ones(n, S, dtype=torch.bool)}[mask]
        att = torch.softmax(scores.masked_fill(~keep, float("-inf")), dim=-1) @ v
        if heads == "transposed-both":
            att = att.permute(0, 2, 3, 1).reshape(B, n, d)
        else:
            att = att.transpose(1, 2).reshape(B, n, d)
        ys.append(att @ Wp.T + bp)
        cache, start = (k, v), start + n
    return torch.cat(ys, dim=1), cache


VARIANTS = (
    ({"mask": "top-left"}, "is-causal-with-cache",
     ("with a cache, the new queries must see every cached key and the new keys up to their own position; "
     "`is_causal=True` (SDPA aligns its mask top-left) hides the cache from them, so pass an explicit "
     "attn_mask `torch.ones(L, S, dtype=torch.bool).tril(S - L)` instead")),
    ({"mask": "none-with-cache"}, "no-mask-with-cache",
     ("with a cache you dropped the causal mask (e.g. `is_causal=(cache is None)`): in a chunk of several new "
     "tokens each one then sees the tokens after it; mask with `torch.ones(L, S, dtype=torch.bool).tril(S - L)`")),
    ({"mask": "none"}, "no-causal-mask",
     "there is no causal mask: position i must not attend to positions after i"),
    ({"heads": "transposed"}, "heads-transposed",
     ("your heads take every n_heads-th feature ((..., head_dim, n_heads)); head h uses features "
     "h*head_dim ... (h+1)*head_dim-1: `q.view(B, T, n_heads, head_dim).transpose(1, 2)`")),
    ({"heads": "transposed-both"}, "heads-transposed",
     ("your heads take every n_heads-th feature ((..., head_dim, n_heads)); head h uses features "
     "h*head_dim ... (h+1)*head_dim-1: `q.view(B, T, n_heads, head_dim).transpose(1, 2)`")),
    ({"scale": "none"}, "no-scaling",
     "the scores are not scaled: divide q @ k^T by sqrt(head_dim)"),
    ({"scale": "model"}, "scaled-by-d-model",
     ("you scaled by 1/sqrt(d_model); each head's scores are scaled by 1/sqrt(head_dim), head_dim = d_model / "
     "n_heads")),
)


NAMED = tuple(dict.fromkeys(m for _, m, _ in VARIANTS)) + ("not-a-module", "state-dict-keys", "cache-wrong-axis",
                                                         "blocked-call")


def _scenario(seed, B, T, d, H, schedules, label):
    gen = torch.Generator().manual_seed(seed)
    state = {"qkv.weight": torch.randn(3 * d, d, generator=gen) * 0.4,
             "qkv.bias": torch.randn(3 * d, generator=gen) * 0.1,
             "proj.weight": torch.randn(d, d, generator=gen) * 0.3, "proj.bias": torch.randn(d, generator=gen) * 0.1}
    x = torch.randn(B, T, d, generator=gen)
    return Case((d, H, state, x, [list(s) for s in schedules]), {}, f"x of shape ({B}, {T}, {d}), n_heads={H}: {label}")


def _name_mistake(case, schedule, y):
    _, H, state, x, _ = case.args
    for switches, mistake_id, message in VARIANTS:
        wrong, _ = run_schedule(state, x, H, schedule, **switches)
        if LOOSE(y, wrong.float()) is None:
            return incorrect(case, message + ".", mistake_id)
    return None


def _judge(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        rec = obs["value"]
        _, H, _, _, schedules = case.args
        if not rec["desc"]["is_module"]:
            return incorrect(case, f"your CausalSelfAttention is a {rec['desc']['type']}, not an nn.Module: subclass "
                             "torch.nn.Module and call super().__init__() first.", "not-a-module")
        if rec.get("load_error"):
            return incorrect(case, "the grader could not load its weights into your module with "
                             "load_state_dict(strict=True): the parameters must be exactly `qkv` = nn.Linear(d, 3d) "
                             "and `proj` = nn.Linear(d, d) (a mask buffer must be registered with persistent=False) "
                             f"({rec['load_error'].get('message', '')[:200]}).", "state-dict-keys")
        for schedule, run in zip(schedules, rec["runs"]):
            failure = _judge_run(case, schedule, run, H)
            if failure:
                return failure
    return None


def _judge_run(case, schedule, run, H):
    d, _, state, x, _ = case.args
    B, T, _ = x.shape
    hd = d // H
    how = "in one call" if len(schedule) == 1 else f"in chunks of {schedule} tokens"
    if "error" in run:
        err = run["error"]
        if run.get("cached") and err.get("type") == "RuntimeError" and any(
                w in err.get("message", "") for w in ("size", "shape", "dimension")):
            return incorrect(case, f"fed {how}, your forward failed when given a cache ({err.get('message', '')[:160]})"
                             ": the cache holds (B, n_heads, T_past, head_dim) tensors; concatenate the new keys and "
                             "values along dim 2, the time axis.", "cache-wrong-axis")
        return error_failure(case, err)
    if "bad_return" in run:
        return incorrect(case, f"forward must return (y, (k, v)); it returned {what(run['bad_return'])}.")
    if "bad_cache" in run:
        return incorrect(case, f"the cache must be a tuple (k, v) of two tensors; yours is {what(run['bad_cache'])}.")
    seen = 0
    for n, y, shapes in zip(schedule, run["ys"], run["shapes"]):
        seen += n
        if tuple(y.shape) != (B, n, d):
            return incorrect(case, f"fed {how}, a chunk of {n} tokens gave an output of shape {tuple(y.shape)} "
                                   "instead of "
                             f"({B}, {n}, {d}).")
        want = (B, H, seen, hd)
        if any(tuple(s) != want for s in shapes):
            grown = seen > n          # this call was given a cache: it must have grown along the time axis
            return incorrect(case, f"fed {how}, after {seen} positions your cache tensors have shapes "
                             f"{tuple(shapes[0])} and {tuple(shapes[1])} instead of {want} (B, n_heads, positions so "
                             "far, head_dim)" + (": concatenate along dim 2, the time axis." if grown else "."),
                             "cache-wrong-axis" if grown else None)
    y = torch.cat(run["ys"], dim=1)
    ref_y, (ref_k, ref_v) = run_schedule(state, x, H, [T])
    problem = TOL(y, ref_y.float())
    if problem:
        return _name_mistake(case, schedule, y) or incorrect(
            case, f"fed {how}, your outputs differ from one full causal pass: {problem}.")
    for name, got, ref in (("keys", run["final"][0], ref_k), ("values", run["final"][1], ref_v)):
        problem = TOL(got, ref.float())
        if problem:
            return incorrect(case, f"fed {how}, the cached {name} differ from those of all positions so far "
                             f"(heads split nanoGPT-style, positions in order): {problem}.")
    return None


def _check(title, points, cases):
    return Check(title, points, cases, _judge, probe=attention_probe,
                 probe_args=lambda target, cs: (target, [c.args for c in cs]))


def _example():
    return [_scenario(seed_for(MODULE_ID, EX, "example"), 1, 5, 8, 2, [[5]], "the notebook's example, one full pass")]


def _full():
    s = lambda tag: seed_for(MODULE_ID, EX, tag)
    return [_scenario(s("full-1"), 2, 7, 16, 4, [[7]], "one full pass"),
            _scenario(s("full-2"), 1, 9, 24, 3, [[9]], "one full pass"),
            _scenario(s("full-3"), 3, 4, 12, 1, [[4]], "one full pass, one head"),
            _scenario(s("full-4"), 2, 6, 32, 8, [[6]], "one full pass, 8 heads")]


def _decode():
    s = lambda tag: seed_for(MODULE_ID, EX, tag)
    return [_scenario(s("decode-1"), 2, 7, 16, 4, [[1] * 7], "one token at a time"),
            _scenario(s("decode-2"), 1, 6, 24, 3, [[4, 1, 1]], "a prompt of 4, then one token at a time"),
            _scenario(s("decode-3"), 1, 5, 8, 1, [[1] * 5], "one token at a time, one head")]


def _chunked():
    s = lambda tag: seed_for(MODULE_ID, EX, tag)
    return [_scenario(s("chunk-1"), 2, 7, 16, 4, [[3, 4]], "chunks of 3 then 4 tokens"),
            _scenario(s("chunk-2"), 1, 9, 24, 3, [[2, 3, 4]], "chunks of 2, 3 and 4 tokens"),
            _scenario(s("chunk-3"), 2, 8, 12, 2, [[5, 1, 2]], "chunks of 5, 1 and 2 tokens")]


CausalSelfAttention = Exercise(
    EX,
    blocked=("torch.nn.MultiheadAttention", "torch.nn.functional.multi_head_attention_forward"),
    skill="transformers",
    hints=(
        ("qkv(x) gives queries, keys and values side by side; split each into n_heads heads of head_dim "
        "features, attend per head with a causal mask, merge the heads, project. With a cache, the new keys "
        "and values are appended to the cached ones along the time axis, and the new queries (the last L "
        "positions) see every cached key plus the new keys up to their own position."),
        ("q, k, v = self.qkv(x).split(d, dim=2); each .view(B, L, H, hd).transpose(1, 2); if cache: "
        "k = torch.cat([cache[0], k], dim=2) (same for v); scores = q @ k.transpose(-2, -1) / sqrt(hd); "
        "mask = torch.ones(L, S, dtype=torch.bool).tril(S - L) (S = k.shape[2]); softmax; @ v; merge; proj."),
        ("`att = F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(L, S, dtype=torch.bool, "
        "device=x.device).tril(S - L))`; `y = self.proj(att.transpose(1, 2).reshape(B, L, d))`; "
        "`return y, (k, v)`"),
    ),
    checks=(
        _check("the example in the notebook", 1, _example),
        _check("one full causal pass: outputs and cache (B, H, T, head_dim)", 3, _full),
        _check("one token at a time with the cache equals the full pass", 3, _decode),
        _check("chunked prefill with the cache equals the full pass", 3, _chunked),
    ),
)
