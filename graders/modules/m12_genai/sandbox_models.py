"""Sandbox-side models of 12_genai: the tiny language model ``generate`` drives and the instrumented
training scenarios of ``accumulate_step`` and ``bf16_train_step``.

Everything is built from explicit seeded generators (never the global RNG), so the grading process,
which imports this file too, builds the very same objects and replays the reference on them. The
objects record what learner code does with them in ``LOG`` (a probe runs in its own forked child, so
nothing leaks between checks). No expected value lives here.
"""
from __future__ import annotations

import math

import torch
from torch import nn

LOG: list = []                  # events, in order: tuples whose first item names the event


def reset() -> None:
    LOG.clear()


def _fill(gen, tensors, scale):
    with torch.no_grad():
        for t in tensors:
            t.copy_(torch.randn(t.shape, generator=gen, dtype=t.dtype) * scale)


# ------------------------------------------------------------------ generate: a tiny causal LM with a KV cache
class TinyLM(nn.Module):
    """One attention layer over token + position embeddings, float64, with a KV cache.

    ``model(ids (1, T) LongTensor, past) -> (logits (1, T, V), past)``; ``past`` is ``(k, v)`` of
    shape (1, H, T_past, hd) or None. Every call is logged as ``("call", T, T_past or None)``.
    """

    def __init__(self, vocab: int, d: int = 16, n_heads: int = 2, seed: int = 0, max_len: int = 512):
        super().__init__()
        self.vocab, self.d, self.n_heads = vocab, d, n_heads
        self.tok = nn.Embedding(vocab, d).double()
        self.pos = nn.Embedding(max_len, d).double()
        self.qkv = nn.Linear(d, 3 * d).double()
        self.proj = nn.Linear(d, d).double()
        self.head = nn.Linear(d, vocab).double()
        gen = torch.Generator().manual_seed(seed)
        _fill(gen, [self.tok.weight, self.pos.weight], 1.0)
        _fill(gen, [self.qkv.weight, self.proj.weight, self.head.weight], 1.5 / math.sqrt(d))
        _fill(gen, [self.qkv.bias, self.proj.bias, self.head.bias], 0.1)
        self.requires_grad_(False)

    def forward(self, ids, past=None):
        if not isinstance(ids, torch.Tensor) or ids.dim() != 2 or ids.shape[0] != 1 or ids.shape[1] < 1 \
                or ids.dtype.is_floating_point or ids.dtype == torch.bool:
            raise TypeError(f"the model takes a (1, T) LongTensor of token ids, T >= 1; it got "
                            f"{_what(ids)}")
        if past is not None and not (isinstance(past, (tuple, list)) and len(past) == 2
                                     and all(isinstance(t, torch.Tensor) for t in past)):
            raise TypeError("`past` must be None or exactly what the previous call returned (a (k, v) pair)")
        t_past = 0 if past is None else int(past[0].shape[2])
        LOG.append(("call", int(ids.shape[1]), None if past is None else t_past))
        ids = ids.long()
        if int(ids.min()) < 0 or int(ids.max()) >= self.vocab:
            raise ValueError(f"token ids must lie in 0..{self.vocab - 1}")
        T, H, hd = ids.shape[1], self.n_heads, self.d // self.n_heads
        x = self.tok(ids) + self.pos(torch.arange(t_past, t_past + T))
        q, k, v = self.qkv(x).split(self.d, dim=2)
        q, k, v = (z.view(1, T, H, hd).transpose(1, 2) for z in (q, k, v))
        if past is not None:
            k, v = torch.cat([past[0], k], dim=2), torch.cat([past[1], v], dim=2)
        scores = q @ k.transpose(-2, -1) / math.sqrt(hd)
        total = k.shape[2]
        keep = torch.ones(T, total, dtype=torch.bool).tril(diagonal=total - T)   # query i sees keys <= its position
        att = torch.softmax(scores.masked_fill(~keep, float("-inf")), dim=-1) @ v
        h = x + self.proj(att.transpose(1, 2).reshape(1, T, self.d))
        return self.head(torch.tanh(h)) * 3.0, (k, v)


def _what(value) -> str:
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)} and dtype {str(value.dtype).replace('torch.', '')}"
    return f"a {type(value).__name__}"


# ------------------------------------------------------------------ recording optimizers and losses
class _Recording:
    def zero_grad(self, set_to_none: bool = True):
        LOG.append(("zero_grad", "optimizer"))
        return super().zero_grad(set_to_none)

    def step(self, closure=None):
        try:
            autocast = bool(torch.is_autocast_enabled("cpu"))
        except TypeError:                      # older torch: no device argument
            autocast = bool(torch.is_autocast_cpu_enabled())
        LOG.append(("step", autocast))
        return super().step(closure)


class RecordingSGD(_Recording, torch.optim.SGD):
    """torch.optim.SGD that records zero_grad and step."""


class RecordingAdamW(_Recording, torch.optim.AdamW):
    """torch.optim.AdamW that records zero_grad and step."""


def _on_backward(grad):
    LOG.append(("backward",))
    return grad


class RecordingLoss(nn.Module):
    """A batch-mean loss (MSE or cross-entropy) that records each call's batch size and its backward."""

    def __init__(self, kind: str = "mse"):
        super().__init__()
        self.kind = kind

    def forward(self, output, target):
        if self.kind == "mse":
            loss = nn.functional.mse_loss(output, target)
        else:
            loss = nn.functional.cross_entropy(output, target)
        LOG.append(("loss", int(target.shape[0])))
        if loss.requires_grad:
            loss.register_hook(_on_backward)
        return loss


class RecordingModel(nn.Module):
    """Linear -> tanh -> Linear; its zero_grad is recorded; hooks record each Linear's output dtype."""

    def __init__(self, d_in: int, hidden: int, d_out: int, gen, dtype):
        super().__init__()
        self.fc1 = nn.Linear(d_in, hidden).to(dtype)
        self.fc2 = nn.Linear(hidden, d_out).to(dtype)
        _fill(gen, [self.fc1.weight, self.fc2.weight], 0.6)
        _fill(gen, [self.fc1.bias, self.fc2.bias], 0.1)
        for layer in (self.fc1, self.fc2):
            layer.register_forward_hook(_record_dtype)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))

    def zero_grad(self, set_to_none: bool = True):
        LOG.append(("zero_grad", "model"))
        return super().zero_grad(set_to_none)


def _record_dtype(module, inputs, output):
    LOG.append(("linear", str(output.dtype).replace("torch.", "")))


def _data(gen, spec, n, dtype):
    X = torch.randn(n, spec["d_in"], generator=gen, dtype=dtype)
    if spec.get("loss", "mse") == "mse":
        y = torch.randn(n, spec["d_out"], generator=gen, dtype=dtype)
    else:
        y = torch.randint(0, spec["d_out"], (n,), generator=gen)
    return X, y


def _optimizer(params, spec):
    if spec.get("optimizer", "sgd") == "adamw":
        # eps well above float noise: Adam's first step is ±lr for any gradient >> eps, so a tiny gradient whose
        # sign bfloat16 rounding flips would otherwise move the update by 2·lr
        return RecordingAdamW(params, lr=spec.get("lr", 0.01), weight_decay=0.01, eps=1e-4)
    return RecordingSGD(params, lr=spec.get("lr", 0.1), momentum=spec.get("momentum", 0.9))


def build_accumulate(spec: dict):
    """(model, loss_fn, optimizer, X, y) in float64, after one warm-up step (momentum buffers are not
    zero) and with stale random gradients left in every ``.grad``."""
    gen = torch.Generator().manual_seed(spec["seed"])
    model = RecordingModel(spec["d_in"], spec["hidden"], spec["d_out"], gen, torch.float64)
    loss_fn = RecordingLoss(spec.get("loss", "mse"))
    optimizer = _optimizer(model.parameters(), spec)
    Xw, yw = _data(gen, spec, 8, torch.float64)
    loss_fn(model(Xw), yw).backward()
    optimizer.step()
    with torch.no_grad():
        for p in model.parameters():
            p.grad = torch.randn(p.shape, generator=gen, dtype=p.dtype) * 5.0
    X, y = _data(gen, spec, spec["n"], torch.float64)
    reset()
    return model, loss_fn, optimizer, X, y


def build_bf16(spec: dict):
    """(model, loss_fn, optimizer, x, y) in float32 for one mixed-precision step."""
    gen = torch.Generator().manual_seed(spec["seed"])
    model = RecordingModel(spec["d_in"], spec["hidden"], spec["d_out"], gen, torch.float32)
    loss_fn = RecordingLoss(spec.get("loss", "ce"))
    optimizer = _optimizer(model.parameters(), spec)
    x, y = _data(gen, spec, spec["n"], torch.float32)
    reset()
    return model, loss_fn, optimizer, x, y


def parameters_of(model) -> list:
    return [p.detach().clone() for p in model.parameters()]
