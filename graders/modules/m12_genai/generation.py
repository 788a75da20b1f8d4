"""generate: greedy decoding with the model's KV cache, graded on the grader's TinyLM.

Tokens must be those of greedy decoding without a cache (argmax of the last position, recomputed over
the whole sequence: the reference here); the model's call log must show the cached pattern: the prompt
once with ``past=None``, then one (1, 1) token per call with the past returned by the previous call,
and no call after the last token. The model computes in float64, and cases keep the top two logits of
every step apart, so cached and uncached decoding agree exactly.
"""
from __future__ import annotations

import numpy as np
import torch

from graders.engine.spec import Case, Check, Exercise, seed_for

from .common import MODULE_ID, as_int_list, error_failure, incorrect, pinned, what
from .helpers import generate_probe
from .sandbox_models import TinyLM, reset

EX = "generate"
MARGIN = 1e-6


@pinned
def _decode(lm, prompt, max_new, eos=None, position="last", repeat_first=False):
    """Greedy decoding without a cache; also the smallest top-2 margin met on the way."""
    model = TinyLM(**lm)
    ids, out, margin = list(prompt), [], np.inf
    with torch.no_grad():
        for step in range(max_new):
            logits, _ = model(torch.tensor([ids]), None)
            use_first = position == "first" and (repeat_first or step == 0)
            row = logits[0, 0 if use_first else -1]
            top2 = torch.topk(row, 2).values
            margin = min(margin, float(top2[0] - top2[1]))
            token = int(torch.argmax(row))
            out.append(token)
            if eos is not None and token == eos:
                break
            ids.append(token)
    reset()
    return out, margin


def generate_ref(lm, prompt, max_new, eos=None):
    return _decode(lm, prompt, max_new, eos)[0]


VARIANTS = (
    (lambda lm, p, n, eos: list(p) + generate_ref(lm, p, n, eos), "prompt-returned",
     "return the new tokens only, not the prompt followed by them"),
    (lambda lm, p, n, eos: generate_ref(lm, p, n + 1, eos), "max-new-tokens-off-by-one",
     "you produced one token too many: exactly max_new_tokens new tokens (fewer only when eos_id comes)"),
    (lambda lm, p, n, eos: generate_ref(lm, p, n - 1, eos), "max-new-tokens-off-by-one",
     "you produced one token too few: exactly max_new_tokens new tokens (fewer only when eos_id comes)"),
    (lambda lm, p, n, eos: _decode(lm, p, n, eos, position="first")[0], "first-position-logits",
     ("the next token comes from the logits of the *last* position, logits[:, -1]; logits[:, 0] is the "
     "prediction after the first prompt token")),
    (lambda lm, p, n, eos: _decode(lm, p, n, eos, position="first", repeat_first=True)[0], "first-position-logits",
     ("the next token comes from the logits of the *last* position, logits[:, -1]; logits[:, 0] is the "
     "prediction after the first prompt token")),
    (lambda lm, p, n, eos: generate_ref(lm, p, n, None), "eos-ignored",
     "you did not stop at eos_id: stop right after producing it (and keep it as the last new token)"),
    (lambda lm, p, n, eos: generate_ref(lm, p, n, eos)[:-1], "eos-excluded",
     "when eos_id is produced it is part of the output: append it, then stop"),
)


NAMED = tuple(dict.fromkeys(m for _, m, _ in VARIANTS)) + ("recomputes-sequence", "sequence-with-cache", "stale-past",
                                                         "call-after-last-token")


def _tokens_failure(case, value):
    lm, prompt, max_new, eos = case.args
    got = as_int_list(value)
    if got is None:
        return incorrect(case, f"expected a list of int token ids, got {what(value)}.")
    expected = generate_ref(lm, prompt, max_new, eos)
    if got == expected:
        return None
    for variant, mistake_id, message in VARIANTS:
        if (mistake_id.startswith("eos") and eos is None) or variant(lm, prompt, max_new, eos) == expected:
            continue
        if got == variant(lm, prompt, max_new, eos):
            return incorrect(case, message + ".", mistake_id)
    first = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
    return incorrect(case, f"expected the tokens of greedy decoding (argmax of the last position, first index on "
                           "ties); "
                     f"yours differ from position {first} on ({len(got)} tokens returned).")


def _feeding_failure(case, calls):
    """What the learner fed the model (these slips also change the tokens, so they are named first)."""
    _, prompt, _, _ = case.args
    for i, (T, past) in enumerate(calls[1:], start=1):
        if past is not None and T != 1:
            return incorrect(case, f"call {i + 1} fed {T} positions together with the cache: the cache already holds "
                             "them; feed only the newest token, as a (1, 1) tensor.", "sequence-with-cache")
        if past is not None and past != len(prompt) + i - 1:
            return incorrect(case, f"call {i + 1} was given a past of {past} positions instead of "
                             f"{len(prompt) + i - 1}: pass back the past returned by the previous call.", "stale-past")
    return None


def _calls_failure(case, calls, n_tokens):
    _, prompt, _, _ = case.args
    if not calls:
        return incorrect(case, "your generate never called the model.")
    if calls[0] != [len(prompt), None]:
        return incorrect(case, f"the first call must be model(prompt as a (1, {len(prompt)}) tensor, None); yours fed "
                         f"{calls[0][0]} positions" + (" with a past." if calls[0][1] is not None else "."))
    for i, (T, past) in enumerate(calls[1:], start=1):
        if past is None:
            return incorrect(case, "right tokens, but you recomputed the whole sequence at every step (quadratic "
                             "work): after the prompt, feed only the newest token, as a (1, 1) tensor, with the "
                             "past the previous call returned.", "recomputes-sequence")
        if T != 1:
            return incorrect(case, f"call {i + 1} fed {T} positions together with the cache: the cache already holds "
                             "them; feed only the newest token, as a (1, 1) tensor.", "sequence-with-cache")
        if past != len(prompt) + i - 1:
            return incorrect(case, f"call {i + 1} was given a past of {past} positions instead of "
                             f"{len(prompt) + i - 1}: pass back the past returned by the previous call.", "stale-past")
    if len(calls) > n_tokens:
        return incorrect(case, f"you called the model {len(calls)} times for {n_tokens} new tokens: the last "
                               "token needs no "
                         "forward pass (at most len(prompt) + max_new_tokens - 1 positions in all).",
                         "call-after-last-token")
    return None


def _judge(with_calls: bool):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            if "error" in obs:
                return error_failure(case, obs["error"])
            failure = _feeding_failure(case, obs["calls"]) if with_calls else None
            failure = failure or _tokens_failure(case, obs["value"])
            if failure is None and with_calls:
                failure = _calls_failure(case, obs["calls"], len(as_int_list(obs["value"])))
            if failure:
                return failure
        return None

    return judge


def _scenario(tag, vocab, heads, prompt_len, max_new, eos_at=None, label=""):
    """A case whose greedy path keeps its top two logits apart (retrying seeds); eos_at=j makes the j-th new
    token (a token not produced before it) the eos id."""
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, tag))
    while True:
        lm = {"vocab": vocab, "d": 16, "n_heads": heads, "seed": int(rng.integers(1 << 30))}
        prompt = [int(t) for t in rng.integers(0, vocab, size=prompt_len)]
        tokens, margin = _decode(lm, prompt, max_new)
        eos = None
        if eos_at is not None:
            eos = tokens[eos_at]
            if eos in tokens[:eos_at]:
                continue
        margins = [_decode(lm, prompt, max_new, eos, position="first", repeat_first=r)[1] for r in (False, True)]
        if min([margin] + margins) > MARGIN:
            break
    shown = f", eos_id={eos}" if eos is not None else ""
    return Case((lm, prompt, max_new, eos), {}, f"a prompt of {prompt_len} tokens, vocabulary {vocab}, "
                f"max_new_tokens={max_new}{shown}{label}")


def _check(title, points, cases, with_calls):
    return Check(title, points, cases, _judge(with_calls), probe=generate_probe,
                 probe_args=lambda target, cs: (target, [c.args for c in cs]))


def _example():
    return [_scenario("example", 20, 2, 3, 5, label=" (the notebook's example)")]


def _greedy():
    return [_scenario("greedy-1", 32, 2, 6, 10), _scenario("greedy-2", 50, 4, 1, 8, label=" (a one-token prompt)"),
            _scenario("greedy-3", 24, 2, 9, 1, label=" (one new token)"), _scenario("greedy-4", 40, 4, 4, 12)]


def _cached():
    return [_scenario("cached-1", 32, 2, 7, 9), _scenario("cached-2", 28, 4, 2, 6),
            _scenario("cached-3", 24, 2, 5, 1, label=" (one new token: one forward pass)")]


def _eos():
    return [_scenario("eos-1", 32, 2, 5, 10, eos_at=3), _scenario("eos-2", 20, 2, 3, 8, eos_at=0,
                                                                  label=" (eos comes first)"),
            _scenario("eos-3", 40, 4, 6, 5, eos_at=4, label=" (eos comes last)")]


generate = Exercise(
    EX,
    skill="decoding",
    hints=(
        ("A KV cache keeps the keys and values of every position already seen, so each step only needs the "
        "newest token: one pass over the prompt, then one single-token pass per new token."),
        ("logits, past = model(torch.tensor([prompt_ids]), None); then repeat: token = argmax of logits[0, -1]; "
        "append it; stop at max_new_tokens or eos_id; otherwise logits, past = model(torch.tensor([[token]]), past)."),
        ("`for step in range(max_new_tokens): token = int(logits[0, -1].argmax()); out.append(token); "
        "if token == eos_id or step == max_new_tokens - 1: break; logits, past = model(torch.tensor([[token]]), past)`"),
    ),
    checks=(
        _check("the example in the notebook", 1, _example, True),
        _check("the tokens of greedy decoding", 3, _greedy, False),
        _check("uses the cache: the prompt once, then one token per call", 3, _cached, True),
        _check("stops at eos_id (included) and calls nothing after the last token", 3, _eos, True),
    ),
)
