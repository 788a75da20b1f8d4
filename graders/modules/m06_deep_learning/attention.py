"""scaled_dot_product_attention: matches F.scaled_dot_product_attention (masks as in torch)."""
from __future__ import annotations

import dataclasses
import math

import torch
import torch.nn.functional as F

from graders.engine.domains import OMIT, Arrays, Domain, Pin
from graders.engine.judges import returns
from graders.engine.search import generated
from graders.engine.spec import Case, Exercise, Mistake, checks_with, seed_for

from .common import on_tensors, pinned, t_label, tclose, to_numpy
from .helpers import MASKS
from .observers import tensor_call_probe


@pinned
def sdpa_ref(q, k, v, mask=None, causal=False):
    """torch's own function in float64, returned in the input's dtype."""
    m = mask.double() if mask is not None and mask.dtype != torch.bool else mask
    out = F.scaled_dot_product_attention(q.double(), k.double(), v.double(), attn_mask=m, is_causal=causal)
    return out.to(q.dtype)


@pinned
def _manual(q, k, v, mask=None, causal=False, scale=None, after_softmax=False, inverted=False, multiply=False,
            future=False, axis=-1):
    dtype = q.dtype
    q, k, v = q.double(), k.double(), v.double()
    scores = q @ k.transpose(-2, -1) * (1 / math.sqrt(q.shape[-1]) if scale is None else scale(q, v))
    keep = None
    if causal:
        L, S = scores.shape[-2:]
        keep = torch.ones(L, S, dtype=torch.bool).tril() if not future else torch.ones(L, S, dtype=torch.bool).triu()
    elif mask is not None and mask.dtype == torch.bool:
        keep = ~mask if inverted else mask
    elif mask is not None:
        scores = scores * mask.double() if multiply else scores + mask.double()
    if keep is not None and not after_softmax:
        scores = scores.masked_fill(~keep, float("-inf"))
    probs = torch.softmax(scores, dim=axis)
    if keep is not None and after_softmax:
        probs = probs * keep
    return (probs @ v).to(dtype)


def _variant(**switches):
    return lambda q, k, v, mask=None, causal=False: _manual(q, k, v, mask, causal, **switches)


MISTAKES = (
    Mistake("no-scaling", "you did not scale the scores: divide q @ k^T by sqrt(d), d = the query/key size "
            "(q.shape[-1]), or the softmax saturates as d grows", variant=_variant(scale=lambda q, v: 1.0)),
    Mistake("scaled-by-d", "you divided by d; scaled dot-product attention divides by sqrt(d)",
            variant=_variant(scale=lambda q, v: 1 / q.shape[-1])),
    Mistake("scaled-by-value-dim", "you scaled by the value size; the scale is 1/sqrt(q.shape[-1]), the size of "
            "queries and keys", variant=_variant(scale=lambda q, v: 1 / math.sqrt(v.shape[-1]))),
    Mistake("mask-after-softmax", "you applied the mask after the softmax, so the kept weights no longer sum to 1: "
            "set masked scores to -inf *before* the softmax", variant=_variant(after_softmax=True)),
    Mistake("mask-inverted", "your boolean mask is inverted: in torch, True means *may attend* (keep the score) "
            "and False means masked out", variant=_variant(inverted=True)),
    Mistake("float-mask-multiplied", "a float mask is *added* to the scores (a bias; -inf removes a position), "
            "not multiplied", variant=_variant(multiply=True)),
    Mistake("causal-future", "your causal mask lets each position see the future and hides the past: query i may "
            "attend to keys 0..i (a lower-triangular mask, torch.ones(L, S).tril())", variant=_variant(future=True)),
    Mistake("softmax-axis", "your softmax runs over the queries; each query's weights over the keys must sum "
            "to 1: softmax(scores, dim=-1)", variant=_variant(axis=-2)),
)


def _case(seed, qshape, S, Ev, dtype=torch.float32, mask=None, causal=False, note=""):
    gen = torch.Generator().manual_seed(seed)
    *batch, L, E = qshape
    q = torch.randn(*qshape, generator=gen, dtype=dtype)
    k = torch.randn(*batch, S, E, generator=gen, dtype=dtype)
    v = torch.randn(*batch, S, Ev, generator=gen, dtype=dtype)
    kwargs = {}
    if mask == "bool":
        keep = torch.rand(L, S, generator=gen) < 0.6
        keep[torch.arange(L), (torch.arange(L) + 1) % S] = False    # no fully kept row
        keep[torch.arange(L), torch.arange(L) % S] = True           # nor a fully masked one
        kwargs["mask"] = keep
    elif mask == "bool4d":
        keep = torch.rand(batch[0], 1, L, S, generator=gen) < 0.5
        keep[..., 0] = True
        keep[..., -1] = False
        kwargs["mask"] = keep
    elif mask == "float":
        bias = torch.randn(L, S, generator=gen, dtype=dtype)
        bias[torch.rand(L, S, generator=gen) < 0.3] = float("-inf")
        bias[:, 0] = 0.5
        kwargs["mask"] = bias
    if causal:
        kwargs["causal"] = True
    what = "" if mask is None else f", a {'float' if mask == 'float' else 'boolean'} {tuple(kwargs['mask'].shape)} mask"
    what += " with -inf entries" if mask == "float" else ""
    label = f"{t_label(q, 'q')}, k {tuple(k.shape)}, v {tuple(v.shape)}{what}{', causal=True' if causal else ''}{note}"
    return Case((q, k, v), kwargs, label)


def _plain_cases():
    return [_case(1, (2, 5, 8), 7, 6), _case(2, (3, 4, 6, 16), 6, 16), _case(3, (1, 1, 4), 9, 4),
            _case(4, (2, 6, 5), 6, 3, torch.float64)]


def _bool_cases():
    return [_case(5, (2, 5, 8), 7, 4, mask="bool"), _case(6, (2, 3, 4, 8), 6, 8, mask="bool4d")]


def _float_cases():
    return [_case(7, (2, 5, 8), 7, 4, mask="float"), _case(8, (1, 6, 4), 6, 4, torch.float64, mask="float")]


def _causal_cases():
    return [_case(9, (2, 6, 8), 6, 5, causal=True), _case(10, (2, 2, 5, 4), 5, 4, causal=True)]


def _example_cases():
    gen = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(1, 3, 4, generator=gen) for _ in range(3))
    return [Case((q, k, v), {}, "the notebook's example: q, k, v of shape (1, 3, 4)"),
            Case((q, k, v), {"causal": True}, "the notebook's example with causal=True")]


def _compare():
    inner = tclose()

    def compare(got, expected):
        got_np = to_numpy(got)
        if isinstance(got_np, tuple) and len(got_np) == 2:
            return "return only the output tensor (not a tuple with the attention weights)"
        return inner(got, expected)

    return compare


_check = checks_with(judge=returns(sdpa_ref, _compare(), MISTAKES, "softmax(q @ k^T / sqrt(d) + mask) @ v, like torch"))


def _naive_softmax(q, k, v, mask=None, causal=False):
    dtype = q.dtype
    scores = q.double() @ k.double().transpose(-2, -1) / math.sqrt(q.shape[-1])
    if causal:
        mask = torch.ones(scores.shape[-2:], dtype=torch.bool).tril()
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    e = torch.exp(scores)
    return (e / e.sum(-1, keepdim=True) @ v.double()).to(dtype)


def _square_causal(q, k, v, mask=None, causal=False):
    L, S = q.shape[-2], k.shape[-2]
    square = torch.ones(L, L, dtype=torch.bool).tril()[:, :S] if causal else mask
    return sdpa_ref(q, k, v, mask=square)


def _square_causal_raised(case, obs, expected):
    """With two queries or more and more keys, an (L, L) causal mask does not broadcast against the scores."""
    q, k = case.args[:2]
    return bool(case.kwargs.get("causal")) and k.shape[-2] > q.shape[-2] and "error" in obs \
        and "must match the size" in obs["error"].get("message", "")


# found by the generated cases: the hand-picked scores are O(1), where exp never overflows, and their causal
# cases have as many keys as queries. The square causal mask first: the future-mask slip fits it too (with
# one query the square mask broadcasts and gives other weights; with more it raises). The overflow before
# the known slips: with one query and a masked key, the softmax over the queries gives NaN as an overflow does
EDGE_MISTAKES = tuple(dataclasses.replace(m, variant=on_tensors(m.variant)) for m in (Mistake(
    "causal-square", "your causal mask is square (L, L): with more keys than queries (S > L) query i must still "
    "see keys 0..i only. Build it from both lengths: torch.ones(L, S, dtype=torch.bool).tril()",
    variant=_square_causal, detect=_square_causal_raised), Mistake(
    "softmax-overflow", "your softmax overflows: exp of a score above ~709 is inf and inf/inf is NaN. Subtract "
    "each row's maximum score before exponentiating, or use torch.softmax(scores, dim=-1)",
    variant=_naive_softmax), *MISTAKES))


# the contract's inputs: batched (b, L, E) queries, (b, S, E) keys, (b, S, Ev) values in float64 (the
# float32 tolerance would hide the slips the scales look for), scores near 0 and large (scale 100: scores in
# the thousands), boolean and float masks (drawn by name, built as tensors in the sandbox, a float one in q's
# dtype as torch requires) or causal=True; unit lengths everywhere. True is listed twice: drawn with a mask
# it is pinned out, and with one weight the cases held a single causal one
SDPA_DOMAIN = Domain(
    args=(Arrays(dims=("b", "L", "E")), Arrays(dims=("b", "S", "E")), Arrays(dims=("b", "S", "Ev"))),
    kwargs={"mask": (OMIT, *MASKS), "causal": (OMIT, True, True, False)}, names=("q", "k", "v"),
    dim_sizes={"b": (1, 3), "L": (1, 6), "S": (1, 6), "E": (1, 8), "Ev": (1, 5)}, scales=(0.01, 1.0, 100.0),
    pins=(Pin("mask and causal are not combined", lambda args, kwargs: "mask" in kwargs and kwargs.get("causal")),),
    examples=30)


scaled_dot_product_attention = Exercise(
    "scaled_dot_product_attention",
    blocked=("torch.nn.functional.scaled_dot_product_attention", "torch.nn.MultiheadAttention",
             "torch.nn.functional.multi_head_attention_forward"),
    skill="deep learning",
    hints=(
        "Each query scores every key by a dot product scaled by 1/sqrt(d); a softmax over the keys turns the "
        "scores into weights that average the values. Masks act on the scores, before the softmax.",
        "scores = q @ k.transpose(-2, -1) / sqrt(q.shape[-1]). A boolean mask keeps the True positions "
        "(masked_fill the others with -inf); a float mask is added. causal=True keeps key j <= query i.",
        "`if causal: mask = torch.ones(L, S, dtype=torch.bool, device=q.device).tril()`; `if mask is not None and "
        "mask.dtype == torch.bool: scores = scores.masked_fill(~mask, float('-inf'))` `elif mask is not None: "
        "scores = scores + mask`; `return torch.softmax(scores, dim=-1) @ v`",
    ),
    checks=(
        _check("the example in the notebook", 1, _example_cases),
        _check("matches F.scaled_dot_product_attention without a mask", 2, _plain_cases),
        _check("boolean masks: True means attend", 2, _bool_cases),
        _check("float masks are added to the scores", 2, _float_cases),
        _check("causal=True: each query sees itself and the past", 2, _causal_cases),
        generated(SDPA_DOMAIN, returns(on_tensors(sdpa_ref), _compare(), EDGE_MISTAKES,
                                       "softmax(q @ k^T / sqrt(d) + mask) @ v, like torch"),
                  1, seed_for("06_deep_learning", "scaled_dot_product_attention", "domain"), probe=tensor_call_probe),
    ),
)
