"""train_epoch, graded by behaviour with instrumented objects (helpers.py).

The oracle replays the reference loop on an identical copy of each scenario (same
data, same initial weights, same optimizer); the recorded events name the slip.
Every loader ends on a short batch, so a plain mean over batches is wrong.
"""
from __future__ import annotations

import numpy as np

from graders.engine.judges import first_error
from graders.engine.spec import Case, Exercise, checks_with, per_case

from . import helpers
from .common import as_float, incorrect, pinned, states_equal, what
from .observers import loop_probe

_REF: dict = {}


@pinned
def replay(spec: dict, zero_grad: bool = True):
    """The reference train_epoch on a fresh copy of the scenario: (initial, final state, [(loss, n)])."""
    key = (repr(sorted(spec.items())), zero_grad)
    if key not in _REF:
        model, loader, optimizer, loss_fn = helpers.build(spec)
        initial = helpers.state_of(model)
        model.train()
        losses = []
        for xb, yb in loader:
            if zero_grad:
                optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append((loss.item(), len(xb)))
        helpers.reset()
        _REF[key] = (initial, helpers.state_of(model), losses)
    return _REF[key]


def forward_events(obs):
    return [e for e in obs.get("events", []) if e[0] == "forward"]


# ------------------------------------------------------------------ train_epoch
def _weights_judge(cases, observations):
    failure = first_error(cases, observations)
    if failure:
        return failure
    for case, obs in zip(cases, observations):
        initial, final, losses = replay(case.extra)
        got = obs["state"]
        if states_equal(got, final, rtol=1e-4, atol=1e-6):
            continue
        events = obs.get("events", [])
        steps = [e for e in events if e[0] == "step"]
        if not steps:
            if states_equal(got, initial):
                return incorrect(case, "the weights did not change: call optimizer.step() after loss.backward() "
                                 "for every batch.", "no-step")
            return incorrect(case, "the weights changed, but not through the optimizer you were given: use that "
                             "optimizer (creating your own loses its settings and state).", "own-optimizer")
        if len(steps) != len(losses):
            return incorrect(case, f"you called optimizer.step() {len(steps)} time(s) for {len(losses)} batches: "
                             "take one step per batch.", "steps-per-batch")
        if not any(has_grads for _, has_grads in steps) or states_equal(got, initial):
            if forward_events(obs) and not any(f[3] for f in forward_events(obs)):
                return incorrect(case, "optimizer.step() found no gradients: the forward pass ran without gradient "
                                 "tracking (torch.no_grad), so backward() had nothing to flow back through.",
                                 "no-grad-in-training")
            return incorrect(case, "optimizer.step() found no gradients: zero_grad() ran between backward() and "
                             "step(). Order per batch: zero_grad, forward, loss, backward, step.",
                             "zero-grad-after-backward")
        if states_equal(got, replay(case.extra, zero_grad=False)[1], rtol=1e-4, atol=1e-6):
            return incorrect(case, "gradients piled up across batches: backward() adds to .grad, so call "
                             "optimizer.zero_grad() before each backward().", "no-zero-grad")
        return incorrect(case, "after one epoch your weights differ from one optimizer step per batch (zero_grad, "
                         "forward, loss_fn(model(x), y), backward, step), in the loader's order.")
    return None


def _batch_losses(obs, ref_losses):
    """The losses the learner's loop computed (one per batch), or the reference's when that is ambiguous."""
    rec = [(e[2], e[3]) for e in obs.get("events", []) if e[0] == "loss"]
    return rec if len(rec) == len(ref_losses) else ref_losses


def _loss_judge(cases, observations):
    failure = first_error(cases, observations)
    if failure:
        return failure
    for case, obs in zip(cases, observations):
        losses = _batch_losses(obs, replay(case.extra)[2])
        got = as_float(obs["value"])
        if got is None:
            return incorrect(case, f"expected the epoch's mean loss as a number, got {what(obs['value'])}.")
        values, sizes = np.array([l for l, _ in losses]), np.array([n for _, n in losses])
        expected = float((values * sizes).sum() / sizes.sum())
        if np.isclose(got, expected, rtol=1e-5, atol=1e-7):
            continue
        bs = case.extra["batch_size"]
        variants = [
            (values.mean(), "unweighted-mean", "you averaged the batch losses; the last batch is shorter, so weight "
             "each batch's mean loss by its size: sum(loss_b * n_b) / N."),
            (values[-1], "last-batch", "you returned the last batch's loss; return the mean over the whole epoch."),
            (values.sum(), "sum-of-means", "you summed the batch means; weight each by its batch size and divide by "
             "the number of samples."),
            ((values * sizes).sum() / (len(values) * bs), "full-batches", "you divided by (number of batches x "
             "batch size), but the last batch is shorter: divide by the number of samples, len(loader.dataset)."),
            ((values * sizes).sum(), "not-divided", "you returned the sum of loss x batch size; divide it by the "
             "number of samples."),
        ]
        for value, mistake, message in variants:
            if np.isclose(got, value, rtol=1e-5, atol=1e-7):
                return incorrect(case, message, mistake)
        return incorrect(case, "expected the sample-weighted mean of the batch losses, sum(loss_b * n_b) / N.")
    return None


def _train_mode_judge(cases, observations):
    failure = first_error(cases, observations)
    if failure:
        return failure
    for case, obs in zip(cases, observations):
        forwards = forward_events(obs)
        if not forwards:
            return incorrect(case, "your train_epoch never called the model.")
        if not all(f[1] and f[2] for f in forwards):
            return incorrect(case, "the model ran in eval mode: call model.train() at the start of train_epoch. "
                             "The model may arrive in eval mode (after evaluate), and dropout or batch norm must be "
                             "in training mode while you train.", "no-train-mode")
        if not all(f[3] for f in forwards):
            return incorrect(case, "the forward pass ran without gradient tracking (torch.no_grad) while training.",
                             "no-grad-in-training")
    return None


def scenario(n, d, k, bs, **kw):
    return {"n": n, "d": d, "k": k, "batch_size": bs, "data_seed": n * 7 + d, "model_seed": k + n, **kw}


def scenario_label(spec, extra=""):
    n, bs = spec["n"], spec["batch_size"]
    sizes = [bs] * (n // bs) + ([n % bs] if n % bs else [])
    opt = spec.get("optimizer", "sgd")
    opt = "Adam" if opt == "adam" else ("SGD with momentum" if spec.get("momentum") else "SGD")
    return f"{n} samples in batches of {', '.join(map(str, sizes))}, {opt}{extra}"


def _cases(specs):
    return [Case((), {}, scenario_label(s, "" if s.get("mode", "train") == "train" else ", model handed over in eval mode"),
                 extra=s) for s in specs]



loop_check = checks_with(probe=loop_probe, probe_args=per_case("extra"))


TRAIN_SPECS = [scenario(50, 4, 3, 16), scenario(37, 6, 4, 10, momentum=0.9, lr=0.05, mode="eval"),
               scenario(45, 5, 3, 20, optimizer="adam", lr=0.01, mode="eval")]
TRAIN_EXAMPLE = [Case((), {}, "the notebook's example (10 samples in batches of 4, 4, 2, SGD)",
                      extra=scenario(10, 3, 2, 4))]

train_epoch = Exercise(
    "train_epoch",
    skill="deep learning",
    hints=(
        "One epoch visits every batch once: forward, loss, backward, step. backward() *adds* to .grad, so the "
        "gradients of the previous batch must be cleared first.",
        "model.train(); then per batch: optimizer.zero_grad(); loss = loss_fn(model(x), y); loss.backward(); "
        "optimizer.step(); and keep loss.item() * len(x) to average over samples at the end.",
        "`total += loss.item() * len(xb); n += len(xb)` in the loop, `return total / n` after it; move xb, yb to "
        "the model's device with `.to(next(model.parameters()).device)`",
    ),
    checks=(
        loop_check("the example in the notebook", 1, TRAIN_EXAMPLE, lambda c, o: _weights_judge(c, o) or _loss_judge(c, o)),
        loop_check("one optimizer step per batch, on fresh gradients", 4, _cases(TRAIN_SPECS), _weights_judge),
        loop_check("returns the sample-weighted mean of the batch losses", 3, _cases(TRAIN_SPECS), _loss_judge),
        loop_check("trains in train mode, with gradients on", 2, _cases(TRAIN_SPECS[1:]), _train_mode_judge),
    ),
)
