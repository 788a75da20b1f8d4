"""neg_sampling_loss_and_grad: word2vec skip-gram with negative sampling (CS224n a2), against torch autograd."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import close, each
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Exercise, checks_with, seed_for

from .common import MODULE_ID, mistake, not_finite, uses_library, with_libraries
from .helpers import call_each

EX = "neg_sampling_loss_and_grad"
LIBRARIES = ("torch", "jax", "tensorflow", "autograd")    # numpy only: no automatic differentiation


def neg_sampling_ref(center_vec, outside_idx, outside_vectors, neg_indices):
    """The oracle: torch autograd in float64, with the numerically stable logsigmoid."""
    import torch
    import torch.nn.functional as F

    vc = torch.tensor(np.asarray(center_vec, dtype=np.float64), requires_grad=True)
    U = torch.tensor(np.asarray(outside_vectors, dtype=np.float64), requires_grad=True)
    neg = torch.as_tensor(np.asarray(neg_indices, dtype=np.int64))
    loss = -F.logsigmoid(U[outside_idx] @ vc) - F.logsigmoid(-(U[neg] @ vc)).sum()
    g_center, g_outside = torch.autograd.grad(loss, [vc, U])
    return loss.item(), g_center.numpy(), g_outside.numpy()


def _sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))      # stable for any x


def _manual(center_vec, outside_idx, outside_vectors, neg_indices, *, accumulate=True, neg_sign=-1.0,
            rows="words", naive_log=False):
    vc = np.asarray(center_vec, dtype=np.float64)
    U = np.asarray(outside_vectors, dtype=np.float64)
    neg = np.asarray(neg_indices, dtype=np.int64)
    s_o = U[outside_idx] @ vc
    s_k = neg_sign * (U[neg] @ vc)                 # the slip drops the minus sign of the negatives' scores
    if naive_log:
        with np.errstate(all="ignore"):
            loss = -np.log(1 / (1 + np.exp(-s_o))) - np.sum(np.log(1 / (1 + np.exp(-s_k))))
    else:
        loss = np.logaddexp(0, -s_o) + np.sum(np.logaddexp(0, -s_k))
    d_o = _sigmoid(s_o) - 1                        # dL/ds_o
    d_k = -(1 - _sigmoid(s_k)) * neg_sign          # dL/d(u_k . v_c)
    grad_center = d_o * U[outside_idx] + d_k @ U[neg]
    grad_outside = np.zeros_like(U)
    grad_outside[outside_idx] += d_o * vc
    targets = neg if rows == "words" else np.arange(len(neg)) % len(U)
    if accumulate:
        np.add.at(grad_outside, targets, d_k[:, None] * vc[None, :])
    else:
        grad_outside[targets] += d_k[:, None] * vc[None, :]      # fancy-index += keeps one update per row
    return float(loss), grad_center, grad_outside


def _variant(**switches):
    return lambda *args: _manual(*args, **switches)


CMP = each(close(), close(), close(), names=("loss", "grad_center", "grad_outside"))
MISTAKES = (
    mistake("overflow-log-sigmoid", "your loss or gradients are not finite for large scores: log(sigmoid(x)) "
            "underflows to log(0) when x is very negative; use the stable form -log σ(x) = logaddexp(0, -x) "
            "(np.logaddexp) and a sigmoid that does not overflow", detect=not_finite),
    mistake("repeats-not-accumulated", "a negative word drawn twice must contribute twice to its gradient row: "
            "`grad[idx] += g` with repeated indices applies only one of the updates; use `np.add.at(grad, idx, g)` "
            "or a loop", _variant(accumulate=False), compare=CMP),
    mistake("negative-sign", "the negative samples enter the loss as -log σ(-u_k·v_c) (their score is pushed "
            "*down*); your negative term has the wrong sign", _variant(neg_sign=1.0), compare=CMP),
    mistake("wrong-rows", "the gradient of a negative sample belongs to the row of its word, "
            "grad_outside[neg_indices[k]], not to row k", _variant(rows="positions"), compare=CMP),
)


# ------------------------------------------------------------------ cases
def _case(rng, V, d, K, scale=1.0, repeats=False, with_outside=False, label=""):
    U = rng.normal(size=(V, d)) * scale / np.sqrt(d)
    vc = rng.normal(size=d) * scale / np.sqrt(d)
    o = int(rng.integers(V))
    others = [i for i in range(V) if i != o]
    if repeats:
        base = rng.choice(others, size=max(K // 2, 1), replace=False)
        neg = [int(x) for x in rng.choice(base, size=K, replace=True)]
        neg[1] = neg[0]                                  # at least one word drawn twice
    else:
        neg = [int(x) for x in rng.choice(others, size=K, replace=False)]
    if with_outside:
        neg[-1] = o
    return Case((vc, o, U, neg), {}, label or f"V={V} words, d={d}, K={K} negatives")


def _random_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "random"))
    return [_case(rng, 12, 5, 4), _case(rng, 50, 16, 10),
            _case(rng, 30, 8, 6, scale=3.0, label="V=30, d=8, K=6, scores of a few units")]


def _repeat_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "repeats"))
    return [_case(rng, 10, 4, 8, repeats=True, label="V=10, d=4, K=8 negatives with repeats"),
            _case(rng, 20, 6, 10, repeats=True, label="V=20, d=6, K=10 negatives with repeats"),
            _case(rng, 8, 3, 5, with_outside=True, label="V=8, d=3, K=5, the outside word also drawn as a negative")]


def _large_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "large"))
    cases = []
    for sign, label in ((-1.0, "u_o·v_c about -1000 (a very wrong prediction)"),
                        (1.0, "negatives with u_k·v_c about +1000")):
        U = rng.normal(size=(15, 6))
        vc = rng.normal(size=6)
        vc *= 1.0 / np.linalg.norm(vc)
        o = 3
        neg = [1, 5, 7, 5, 11]
        U[o] = sign * 1000.0 * vc if sign < 0 else U[o]
        if sign > 0:
            for k in (5, 7):
                U[k] = 1000.0 * vc + rng.normal(size=6) * 0.01
        cases.append(Case((vc, o, U, neg), {}, f"V=15, d=6, K=5, {label}"))
    U = rng.normal(size=(10, 4)) * 30
    vc = rng.normal(size=4) * 30
    cases.append(Case((vc, 2, U, [0, 4, 6, 9]), {}, "V=10, d=4, K=4, scores in the hundreds of both signs"))
    return cases


def _example():
    rng = np.random.default_rng(0)
    return Case((rng.normal(size=3), 1, rng.normal(size=(5, 3)), [0, 3, 3]), {},
                "the notebook's example (V=5, d=3, neg_indices=[0, 3, 3])")


# kept between grading runs (engine/kept_values.py): a grade imports torch only for new cases
ORACLE = kept_oracle(neg_sampling_ref, f"{MODULE_ID}-neg-sampling", ("torch",))
JUDGE = uses_library(returns(ORACLE, CMP, MISTAKES, "torch autograd's loss and gradients"), LIBRARIES)


_check = checks_with(judge=JUDGE, probe=call_each, probe_args=with_libraries(LIBRARIES))


neg_sampling_loss_and_grad = Exercise(
    EX,
    # torch (and any autodiff library) is refused by the probe (helpers.call_each), not by engine tripwires:
    # arming those would import torch into every sandbox
    blocked=(),
    skill="embeddings",
    hints=(
        "With s_o = u_o·v_c and s_k = u_k·v_c: loss = -log σ(s_o) - Σ_k log σ(-s_k). Since dσ(x)/dx = σ(x)(1 - "
        "σ(x)), d(-log σ(s_o))/ds_o = σ(s_o) - 1 and d(-log σ(-s_k))/ds_k = σ(s_k). Chain through s = u·v_c.",
        "grad_center = (σ(s_o) - 1) u_o + Σ_k σ(s_k) u_k; grad_outside starts as zeros (V, d); row o gets "
        "(σ(s_o) - 1) v_c, and each negative's row gets σ(s_k) v_c, *added* once per time it was drawn. "
        "-log σ(x) = np.logaddexp(0, -x) never overflows.",
        "`s_k = U[neg] @ vc`; `loss = np.logaddexp(0, -s_o) + np.logaddexp(0, s_k).sum()`; "
        "`np.add.at(grad_outside, neg, sig(s_k)[:, None] * vc)` with a stable `sig`",
    ),
    checks=(
        _check("the example in the notebook", 1, [_example()]),
        _check("loss and gradients match torch autograd", 4, _random_cases),
        _check("repeated negatives (and the outside word drawn as a negative) accumulate", 2, _repeat_cases),
        _check("scores up to ±1000: finite, exact loss and gradients", 3, _large_cases),
    ),
)
