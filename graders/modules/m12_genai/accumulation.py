"""accumulate_step: one optimizer step whose gradients are the full batch's, computed in micro-batches.

Graded in float64 on the instrumented scenario of ``sandbox_models.build_accumulate`` (SGD with
momentum after a warm-up step, stale random gradients left in every ``.grad``): the parameters after
the call must equal one full-batch step (rtol 1e-9), the returned loss the full-batch mean. Wrong
recipes are replayed here to name the slip; the recorded events (zero_grad, backward, step) name the
others.
"""
from __future__ import annotations

import numpy as np
import torch

from graders.engine.spec import Case, Check, Exercise

from .common import as_float, error_failure, incorrect, pinned, what
from .sandbox_loops import training_probe
from .sandbox_models import build_accumulate, reset

EX = "accumulate_step"
RTOL, ATOL = 1e-9, 1e-12
_CACHE: dict = {}


@pinned
def replay(spec: dict, mode: str = "correct"):
    """(parameters after the step, [(micro-batch loss, size)]) for the reference or a wrong recipe."""
    key = (repr(sorted(spec.items())), mode)
    if key not in _CACHE:
        model, loss_fn, optimizer, X, y = build_accumulate(spec)
        m, N = spec["micro_batch_size"], len(X)
        n_micro = -(-N // m)
        if mode != "stale":
            optimizer.zero_grad()
        losses = []
        for i in range(0, N, m):
            loss = loss_fn(model(X[i:i + m]), y[i:i + m])
            weight = {"correct": len(X[i:i + m]) / N, "stale": len(X[i:i + m]) / N, "by_count": 1 / n_micro,
                      "sum": 1.0}[mode]
            (loss * weight).backward()
            losses.append((loss.item(), len(X[i:i + m])))
        optimizer.step()
        reset()
        _CACHE[key] = ([p.detach().clone() for p in model.parameters()], losses)
    return _CACHE[key]


def _same(params, ref) -> bool:
    return len(params) == len(ref) and all(
        isinstance(p, torch.Tensor) and p.shape == r.shape and torch.allclose(p.double(), r, rtol=RTOL, atol=ATOL)
        for p, r in zip(params, ref))


NAMED = ("no-step", "step-per-micro-batch", "zero-grad-in-loop", "stale-gradients", "divided-by-micro-batch-count",
         "unscaled-sum", "loss-mean-of-means", "loss-sum-of-means", "loss-last-micro-batch", "loss-not-divided")


def _params_failure(case, obs):
    spec = case.extra
    events = obs["events"]
    steps = [e for e in events if e[0] == "step"]
    if not steps:
        return incorrect(case, "optimizer.step() was never called: accumulate the gradients, then step once.",
                         "no-step")
    if len(steps) > 1:
        return incorrect(case, f"you called optimizer.step() {len(steps)} times: accumulate the gradients of all "
                         "micro-batches, then step once.", "step-per-micro-batch")
    params = obs["params"]
    if _same(params, replay(spec)[0]):
        return None
    kinds = [e[0] for e in events]
    first_backward = kinds.index("backward") if "backward" in kinds else len(kinds)
    if "zero_grad" in kinds[first_backward:kinds.index("step")]:
        return incorrect(case, "zero_grad() ran between micro-batches, so only the last micro-batch's gradients "
                         "remained: clear the gradients once, before the loop.", "zero-grad-in-loop")
    for mode, mistake_id, message in (
            ("stale", "stale-gradients", ("the gradients that were in .grad before the call were added to yours: "
             "start with optimizer.zero_grad()")),
            ("by_count", "divided-by-micro-batch-count", ("you divided each micro-batch loss by the number of "
             "micro-batches; the last micro-batch is shorter, so weight each by len(micro-batch) / len(X)")),
            ("sum", "unscaled-sum", ("you added the micro-batch mean losses without scaling: the gradients are "
             "several times too large; weight each by len(micro-batch) / len(X)"))):
        if _same(params, replay(spec, mode)[0]):
            return incorrect(case, message + ".", mistake_id)
    return incorrect(case, "after your step the parameters differ from one optimizer step on the gradients of the "
                     "full-batch mean loss.")


def _loss_failure(case, obs):
    got = as_float(obs["value"])
    if got is None:
        return incorrect(case, f"expected the full-batch mean loss as a number, got {what(obs['value'])}.")
    losses = replay(case.extra)[1]
    values, sizes = np.array([v for v, _ in losses]), np.array([n for _, n in losses])
    expected = float((values * sizes).sum() / sizes.sum())
    if np.isclose(got, expected, rtol=1e-6, atol=1e-9):
        return None
    for value, mistake_id, message in (
            (values.mean(), "loss-mean-of-means", ("you averaged the micro-batch losses; the last micro-batch is "
             "shorter, so weight each by its size: sum(loss_i * n_i) / N")),
            (values.sum(), "loss-sum-of-means", ("you returned the sum of the micro-batch means; return the full-batch "
             "mean, sum(loss_i * n_i) / N")),
            (values[-1], "loss-last-micro-batch", ("you returned the last micro-batch's loss; return the full-batch "
             "mean")),
            ((values * sizes).sum(), "loss-not-divided", "you returned sum(loss_i * n_i); divide it by N")):
        if np.isclose(got, value, rtol=1e-6, atol=1e-9):
            return incorrect(case, message + ".", mistake_id)
    return incorrect(case, "expected the mean loss over the whole batch, sum(loss_i * n_i) / N.")


def _judge(*parts):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            if "error" in obs:
                return error_failure(case, obs["error"])
            for part in parts:
                failure = part(case, obs)
                if failure:
                    return failure
        return None

    return judge


def _spec(seed, n, m, loss="mse", momentum=0.9, lr=0.1):
    return {"kind": "accumulate", "seed": seed, "d_in": 5, "hidden": 8, "d_out": 3, "loss": loss, "n": n,
            "micro_batch_size": m, "momentum": momentum, "lr": lr}


def _case(spec, note=""):
    n, m = spec["n"], spec["micro_batch_size"]
    sizes = [min(m, n - i) for i in range(0, n, m)]
    loss = "MSE" if spec["loss"] == "mse" else "cross-entropy"
    return Case((), {}, f"{n} samples, micro_batch_size={m} (micro-batches of {', '.join(map(str, sizes))}), {loss}, "
                f"SGD with momentum {spec['momentum']}, stale gradients in .grad{note}", extra=spec)


def _check(title, points, cases, *parts):
    return Check(title, points, cases, _judge(*parts), probe=training_probe,
                 probe_args=lambda target, cs: (target, [c.extra for c in cs]))


EXAMPLE = [_case(_spec(11, 10, 4), " (the notebook's example)")]
MAIN = [_case(_spec(21, 23, 5)), _case(_spec(22, 30, 8, loss="ce")), _case(_spec(23, 17, 6, momentum=0.5, lr=0.05))]
EDGES = [_case(_spec(31, 12, 20), " (one micro-batch)"), _case(_spec(32, 5, 1, loss="ce"), " (one sample each)")]

accumulate_step = Exercise(
    EX,
    skill="training efficiency",
    hints=(
        ("backward() adds into .grad, so gradients of several micro-batches pile up; the full-batch mean loss is "
        "the size-weighted mean of the micro-batch means, and its gradient the same weighted sum of theirs."),
        ("optimizer.zero_grad(); for i in range(0, N, m): loss_i = loss_fn(model(X[i:i+m]), y[i:i+m]); "
        "(loss_i * len(X[i:i+m]) / N).backward(); keep loss_i.item() * len(...); after the loop optimizer.step()."),
        ("`total += loss.item() * len(xb)` in the loop and `return total / len(X)` after the single "
        "`optimizer.step()`"),
    ),
    checks=(
        _check("the example in the notebook", 1, EXAMPLE, _params_failure, _loss_failure),
        _check("one step with the full batch's gradients (the last micro-batch is shorter)", 4, MAIN, _params_failure),
        _check("returns the full-batch mean loss", 3, MAIN, _loss_failure),
        _check("micro_batch_size >= N and micro_batch_size = 1", 2, EDGES, _params_failure, _loss_failure),
    ),
)
