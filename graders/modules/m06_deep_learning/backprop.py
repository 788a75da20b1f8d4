"""mlp_forward_backward: a two-layer network's loss and gradients by hand, in numpy."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from graders.engine.batteries import not_mutated
from graders.engine.compare import close, describe
from graders.engine.domains import Arrays, Domain
from graders.engine.judges import returns
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, arr_label, seed_for

from .common import pinned, to_numpy

KEYS = ("W1", "b1", "W2", "b2")


def _out_dtype(*arrays):
    return np.float32 if all(np.asarray(a).dtype == np.float32 for a in arrays) else np.float64


@pinned
def mlp_ref(X, y, W1, b1, W2, b2):
    """torch autograd in float64: the oracle."""
    params = [torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in (W1, b1, W2, b2)]
    logits = torch.relu(torch.tensor(np.asarray(X, dtype=np.float64)) @ params[0] + params[1]) @ params[2] + params[3]
    loss = F.cross_entropy(logits, torch.as_tensor(np.asarray(y), dtype=torch.long))
    grads = torch.autograd.grad(loss, params)
    dt = _out_dtype(X, W1, b1, W2, b2)
    return np.asarray(loss.item(), dtype=dt), {k: g.numpy().astype(dt) for k, g in zip(KEYS, grads)}


def _manual(X, y, W1, b1, W2, b2, mean_loss=True, mean_grads=True, relu_grad="mask", sign=1.0):
    """The hand-written backward pass, with switches for the classic slips."""
    X, W1, b1, W2, b2 = (np.asarray(a, dtype=np.float64) for a in (X, W1, b1, W2, b2))
    y = np.asarray(y)
    n = len(X)
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0)
    logits = h @ W2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(n), y].sum() / (n if mean_loss else 1)
    d_logits = np.exp(logp)
    d_logits[np.arange(n), y] -= 1.0
    d_logits *= sign / (n if mean_grads else 1)
    dh = d_logits @ W2.T
    dz1 = {"mask": dh * (z1 > 0), "none": dh, "value": dh * h}[relu_grad]
    grads = {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": h.T @ d_logits, "b2": d_logits.sum(0)}
    return np.asarray(loss), grads


def _cast_like(fn):
    def variant(X, y, W1, b1, W2, b2):
        loss, grads = fn(X, y, W1, b1, W2, b2)
        dt = _out_dtype(X, W1, b1, W2, b2)
        return np.asarray(loss, dtype=dt), {k: v.astype(dt) for k, v in grads.items()}
    return variant


def _grads_of(value):
    value = to_numpy(value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[1], dict):
        return value[1]
    return None


def _transposed(case, obs, expected):
    grads = _grads_of(obs.get("value"))
    if grads is None:
        return False
    for key in ("W1", "W2"):
        g = np.asarray(grads.get(key)) if key in grads else None
        exp = expected[1][key]
        if g is not None and g.shape == exp.T.shape and exp.shape != exp.T.shape and \
                np.allclose(g, exp.T, rtol=1e-4, atol=1e-6):
            return True
        if g is not None and g.shape == exp.shape and exp.shape[0] == exp.shape[1] and \
                not np.allclose(g, exp, rtol=1e-4, atol=1e-6) and np.allclose(g, exp.T, rtol=1e-4, atol=1e-6):
            return True
    return False


def _bias_not_summed(case, obs, expected):
    grads = _grads_of(obs.get("value"))
    n = len(case.args[0])
    return grads is not None and n > 1 and any(
        k in grads and np.shape(grads[k]) == (n, len(expected[1][k])) for k in ("b1", "b2"))


MISTAKES = (
    Mistake("transposed-weights", "a weight gradient is transposed: with logits = X @ W1 + b1 ..., dL/dW1 = "
            "X.T @ dZ1 has W1's shape (d, h), and dL/dW2 = H.T @ dlogits has W2's shape (h, k)",
            detect=_transposed),
    Mistake("bias-not-summed", "a bias gradient has one row per sample: the bias is shared by every sample, so "
            "sum its gradient over the batch axis (dZ.sum(axis=0))", detect=_bias_not_summed),
    Mistake("missing-1/N", "your loss and gradients are N times too large: the loss is the *mean* cross-entropy "
            "over the N samples, so divide by N (and so do the gradients)",
            variant=_cast_like(lambda *a: _manual(*a, mean_loss=False, mean_grads=False))),
    Mistake("grads-missing-1/N", "your gradients are N times too large: the loss is a mean over N samples, so "
            "dL/dlogits = (softmax - onehot) / N", variant=_cast_like(lambda *a: _manual(*a, mean_grads=False))),
    Mistake("relu-grad", "your ReLU gradient is wrong: it passes the gradient where the pre-activation is "
            "positive and blocks it elsewhere (dZ1 = dH * (Z1 > 0)); you let everything through",
            variant=_cast_like(lambda *a: _manual(*a, relu_grad="none"))),
    Mistake("relu-grad-value", "your ReLU gradient multiplies by the activation h; the derivative of ReLU is "
            "1 where z > 0 and 0 elsewhere: dZ1 = dH * (Z1 > 0)",
            variant=_cast_like(lambda *a: _manual(*a, relu_grad="value"))),
    Mistake("gradient-sign", "your gradients point the wrong way: dL/dlogits = softmax(logits) - onehot(y), "
            "not onehot - softmax", variant=_cast_like(lambda *a: _manual(*a, sign=-1.0))),
)


def _pair(got):
    got = to_numpy(got)
    if isinstance(got, (tuple, list)) and len(got) == 2:
        return got
    return None


def loss_compare(got, expected):
    pair = _pair(got)
    if pair is None:
        return f"expected a pair (loss, grads), got {describe(got)}"
    problem = close()(pair[0], expected[0])
    return None if problem is None else f"in `loss`: {problem}"


def grads_compare(got, expected):
    pair = _pair(got)
    if pair is None:
        return f"expected a pair (loss, grads), got {describe(got)}"
    grads = pair[1]
    if not isinstance(grads, dict):
        return f"grads should be a dict with keys 'W1', 'b1', 'W2', 'b2'; got {describe(grads)}"
    missing = [k for k in KEYS if k not in grads]
    if missing:
        return f"grads is missing the key(s) {', '.join(repr(k) for k in missing)}"
    for k in KEYS:
        problem = close()(grads[k], expected[1][k])
        if problem:
            return f"in grads['{k}']: {problem}"
    return None


def both_compare(got, expected):
    return loss_compare(got, expected) or grads_compare(got, expected)


def _make(rng, n, d, h, k, dtype=np.float64):
    X = rng.normal(size=(n, d))
    y = rng.integers(0, k, size=n)
    W1, b1 = rng.normal(size=(d, h)) / np.sqrt(d), rng.normal(size=h) * 0.5
    W2, b2 = rng.normal(size=(h, k)) / np.sqrt(h), rng.normal(size=k) * 0.5
    arrays = [a.astype(dtype) for a in (X, W1, b1, W2, b2)]
    label = f"N={n} sample{'' if n == 1 else 's'}, d={d}, h={h}, k={k} classes ({np.dtype(dtype).name})"
    return Case((arrays[0], y, *arrays[1:]), {}, label)


def _random_cases():
    rng = np.random.default_rng(seed_for("06_deep_learning", "mlp_forward_backward", "random"))
    return [_make(rng, *shape) for shape in [(16, 5, 7, 3), (32, 10, 6, 4), (50, 8, 16, 10)]]


def _edge_cases():
    rng = np.random.default_rng(seed_for("06_deep_learning", "mlp_forward_backward", "edge"))
    return [_make(rng, 1, 4, 3, 2), _make(rng, 20, 3, 3, 3), _make(rng, 12, 6, 5, 4, np.float32)]


def example_case():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(4, 3)), np.array([0, 2, 1, 2])
    W1, b1 = rng.normal(size=(3, 5)), rng.normal(size=5)
    W2, b2 = rng.normal(size=(5, 3)), rng.normal(size=3)
    return Case((X, y, W1, b1, W2, b2), {}, "the notebook's example (X (4, 3), W1 (3, 5), W2 (5, 3))")


def _unchanged_cases():
    rng = np.random.default_rng(seed_for("06_deep_learning", "mlp_forward_backward", "unchanged"))
    case = _make(rng, 10, 4, 6, 3)
    return [Case(case.args, {}, f"{arr_label(case.args[0], 'X')} and its weights")]


def _squeezed(case, obs, expected):
    grads = _grads_of(obs.get("value"))
    return grads is not None and any(
        k in grads and np.shape(grads[k]) != np.shape(expected[1][k]) and np.size(grads[k]) == np.size(expected[1][k])
        and np.squeeze(expected[1][k]).shape == np.shape(grads[k]) for k in KEYS)


# found by the generated cases: the hand-picked ones have no hidden layer or class count of 1
MLP_EDGE_MISTAKES = (Mistake(
    "squeezed-unit-axis", "a gradient lost an axis of length 1 (np.squeeze, .item() or a reduction without its "
    "axis drops it when d, h or k is 1): return each gradient in its parameter's shape, e.g. dZ1.sum(axis=0) "
    "with nothing squeezed", detect=_squeezed), *MISTAKES)


def _no_kink(args, kwargs):
    """Well-posed: no pre-activation exactly 0, where ReLU has no derivative (torch takes 0, a subgradient
    of 1 is as right); the drawn values (exact zeros are common) would otherwise put one there."""
    X, _, W1, b1, *_ = args
    return bool(np.all(X @ W1 + b1 != 0))


# the contract's inputs: any (N, d) batch (one sample, one feature, one hidden unit, two classes and up),
# labels 0 and 1 only (so the largest classes of k are often absent from y: k is W2's width, not y's),
# weights near 0 and of scale 3 (logit gaps of tens, where an unshifted exp is still finite in float64); b1
# positive (dead units still come from X @ W1): with exact zeros common, Z1 = 0 would reject most draws
MLP_DOMAIN = Domain(
    args=(Arrays(dims=("n", "d")), Arrays(dims=("n",), dtypes=("int64",), ints=(0, 1)), Arrays(dims=("d", "h")),
          Arrays(dims=("h",), low=0.1), Arrays(dims=("h", "k")), Arrays(dims=("k",))),
    names=("X", "y", "W1", "b1", "W2", "b2"), dim_sizes={"n": (1, 6), "d": (1, 4), "h": (1, 5), "k": (2, 5)},
    scales=(0.1, 1.0, 3.0), where=_no_kink, examples=24)


mlp_forward_backward = Exercise(
    "mlp_forward_backward",
    blocked=("torch.autograd.grad", "torch.autograd.backward", "torch.Tensor.backward", "torch.func.grad",
             "torch.func.vjp"),
    skill="deep learning",
    hints=(
        "Run the forward pass keeping every intermediate (Z1, H, logits), then walk back with the chain rule. "
        "For softmax cross-entropy averaged over N samples, dL/dlogits = (softmax(logits) - onehot(y)) / N.",
        "Backward: dW2 = H.T @ dlogits, db2 = dlogits.sum(0), dH = dlogits @ W2.T, dZ1 = dH * (Z1 > 0), "
        "dW1 = X.T @ dZ1, db1 = dZ1.sum(0). Each gradient has the shape of its parameter.",
        "`P = np.exp(logits - logits.max(1, keepdims=True)); P /= P.sum(1, keepdims=True)`; "
        "`loss = -np.log(P[np.arange(N), y]).mean()`; `dlogits = P.copy(); dlogits[np.arange(N), y] -= 1; "
        "dlogits /= N`",
    ),
    checks=(
        Check("the example in the notebook", 1, [example_case()],
              returns(mlp_ref, both_compare, MISTAKES, "torch autograd's loss and gradients")),
        Check("the loss is the mean softmax cross-entropy", 2, _random_cases,
              returns(mlp_ref, loss_compare, MISTAKES, "the mean cross-entropy of softmax(relu(X @ W1 + b1) @ W2 + b2)")),
        Check("gradients match torch autograd", 3, _random_cases,
              returns(mlp_ref, grads_compare, MISTAKES, "gradients with the shapes of W1, b1, W2, b2")),
        Check("a single sample, square weights, float32 inputs", 2, _edge_cases,
              returns(mlp_ref, both_compare, MISTAKES, "torch autograd's loss and gradients")),
        not_mutated(_unchanged_cases, (0, 2, 3, 4, 5), 1, "does not modify its inputs", message=(
            "your function changed X or a weight array in place (e.g. `Z1[Z1 < 0] = 0` on a view, or "
            "`-=` on an argument); compute new arrays instead")),
        generated(MLP_DOMAIN, returns(mlp_ref, both_compare, MLP_EDGE_MISTAKES, "torch autograd's loss and gradients"),
                  1, seed_for("06_deep_learning", "mlp_forward_backward", "domain")),
    ),
)
