"""Sandbox-side probes of 06_deep_learning: build, call, and report plain observations.

``nn.Module`` objects never cross the process boundary, so each probe extracts what
its judge needs: parameters and their registration, outputs in each mode, recorded
call orders (see ``helpers.LOG``), state dicts before and after. Learner code runs
only through ``ctx.run``/``ctx.observe``; expected values never come here.
"""
from __future__ import annotations

import os
import random
import tempfile
import time

import numpy as np
import torch
from torch import nn

from graders.engine.sandbox.probes import shares_child

from . import helpers


def describe_module(obj) -> dict:
    """Registration facts: is it a Module, its parameters, plain tensors it hides in attributes."""
    is_module = isinstance(obj, nn.Module)
    params = [(name, p.detach().cpu().clone(), isinstance(p, nn.Parameter), bool(p.requires_grad))
              for name, p in obj.named_parameters()] if is_module else []
    loose = sorted(name for name, v in vars(obj).items()
                   if isinstance(v, torch.Tensor) and not isinstance(v, nn.Parameter))
    return {"is_module": is_module, "params": params, "loose": loose, "type": type(obj).__name__}


def _grads_after_backward(module, out) -> dict:
    """Which parameters receive a gradient from out.sum() (our code, errors reported, not raised)."""
    try:
        out.sum().backward()
    except Exception as exc:  # noqa: BLE001 - e.g. nothing requires grad
        return {"backward_error": f"{type(exc).__name__}: {exc}"[:200]}
    return {"with_grad": [n for n, p in module.named_parameters() if p.grad is not None]}


# ------------------------------------------------------------------ layers
@shares_child
def linear_probe(ctx, target, cases):
    """cases: (in_features, out_features, x or None, seed)."""
    cls = ctx.lookup(target)
    out = []
    for i, (n_in, n_out, x, seed) in enumerate(cases):
        ctx.progress(i)
        torch.manual_seed(seed)
        layer = ctx.run(cls, n_in, n_out, stage="constructor")
        rec = describe_module(layer)
        if x is not None:
            y = ctx.run(layer, x.clone(), stage="forward")
            rec["out"] = y
            if isinstance(layer, nn.Module) and isinstance(y, torch.Tensor):
                rec.update(_grads_after_backward(layer, y))
        out.append(rec)
    return ctx.plain(out)


@shares_child
def mlp_probe(ctx, target, cases):
    """cases: (constructor args, x). Outputs in eval mode (twice) and in train mode (twice)."""
    cls = ctx.lookup(target)
    out = []
    for i, (args, x) in enumerate(cases):
        ctx.progress(i)
        model = ctx.run(cls, *args, stage="constructor")
        rec = describe_module(model)
        if not rec["is_module"]:
            out.append(rec)
            continue
        with torch.no_grad():
            model.eval()
            rec["eval"] = [ctx.run(model, x.clone(), stage="forward") for _ in range(2)]
            model.train()
            rec["train"] = [ctx.run(model, x.clone(), stage="forward") for _ in range(2)]
        out.append(rec)
    return ctx.plain(out)


# ------------------------------------------------------------------ training loops
@shares_child
def loop_probe(ctx, target, specs):
    """train_epoch(model, loader, optimizer, loss_fn) or evaluate(model, loader, loss_fn) on a scenario."""
    fn = ctx.lookup(target)
    out = []
    for i, spec in enumerate(specs):
        ctx.progress(i)
        model, loader, optimizer, loss_fn = helpers.build(spec)
        model.train(spec.get("mode", "train") == "train")
        args = (model, loader, optimizer, loss_fn) if target == "train_epoch" else (model, loader, loss_fn)
        helpers.LOG.clear()
        obs = ctx.observe(fn, args)
        obs["events"] = ctx.plain(list(helpers.LOG))
        obs["state"] = ctx.plain(helpers.state_of(model))
        out.append(obs)
    return out


@shares_child
def fit_probe(ctx, target, specs):
    """fit on scripted validation losses: history, steps taken, per-epoch weight snapshots, final weights."""
    fn = ctx.lookup(target)
    out = []
    for i, spec in enumerate(specs):
        ctx.progress(i)
        model, train, val, optimizer, loss_fn = helpers.build_fit(spec)
        obs = ctx.observe(fn, (model, train, val, optimizer, loss_fn), spec.get("kwargs", {}))
        obs["steps"] = helpers.STATE["steps"]
        obs["steps_per_epoch"] = len(train)
        obs["snapshots"] = ctx.plain(helpers.STATE["snapshots"])
        obs["final"] = ctx.plain(helpers.state_of(model))
        obs["loads"] = [e[1] for e in helpers.LOG if e[0] == "load_state_dict"]
        out.append(obs)
    return out


def fit_example_probe(ctx, target):
    """The notebook's public example: real training, then the validation loss of the final weights."""
    fn = ctx.lookup(target)
    torch.manual_seed(0)
    X = torch.randn(64, 3)
    y = (X[:, 0] > 0).long()
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X[:48], y[:48]), batch_size=16)
    val = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X[48:], y[48:]), batch_size=16)
    model = nn.Linear(3, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    obs = ctx.observe(fn, (model, train, val, optimizer, nn.CrossEntropyLoss()), {"max_epochs": 8, "patience": 2})
    with torch.no_grad():
        obs["final_val"] = float(nn.functional.cross_entropy(model(X[48:]), y[48:]))
    return [obs]


def checkpoint_probe(ctx, target, specs):
    """Train A, save, train A on; load into a fresh B, train B as long: B must end where A ends."""

    # a training loop defined here, not at module level: it exists only in this probe's process, so no
    # other exercise's code (train_epoch's) can find it in memory and hand it in as its own
    def _train(model, loader, optimizer, loss_fn, epochs: int) -> None:
        model.train()
        for _ in range(epochs):
            for xb, yb in loader:
                optimizer.zero_grad()
                loss_fn(model(xb), yb).backward()
                optimizer.step()

    save, load = ctx.lookup("save_checkpoint"), ctx.lookup("load_checkpoint")
    out = []
    for i, spec in enumerate(specs):
        ctx.progress(i)
        model, loader, optimizer, loss_fn = helpers.build(spec)
        _train(model, loader, optimizer, loss_fn, spec["before"])
        path = os.path.join(tempfile.mkdtemp(dir="."), spec.get("file", "checkpoint.pt"))
        ctx.run(save, path, model, optimizer, spec["before"], stage="save_checkpoint")
        saved = helpers.state_of(model)
        _train(model, loader, optimizer, loss_fn, spec["after"])
        fresh, _, fresh_opt, _ = helpers.build({**spec, "model_seed": spec.get("model_seed", 0) + 101})
        epoch = ctx.run(load, path, fresh, fresh_opt, stage="load_checkpoint")
        loaded = helpers.state_of(fresh)
        opt_entries = len(fresh_opt.state)
        _train(fresh, loader, fresh_opt, loss_fn, spec["after"])
        out.append(ctx.plain({"epoch": epoch, "file": os.path.isfile(path), "saved": saved, "loaded": loaded,
                              "opt_entries": opt_entries, "opt_entries_ref": len(optimizer.state),
                              "uninterrupted": helpers.state_of(model), "resumed": helpers.state_of(fresh)}))
    return out


# ------------------------------------------------------------------ BatchNorm1d
@shares_child
def batchnorm_probe(ctx, target, cases):
    """cases: (args, kwargs, steps, affine). steps: ("train" | "eval", x); affine: (x, weights, lr) or None."""
    cls = ctx.lookup(target)
    out = []
    for i, (args, kwargs, steps, affine) in enumerate(cases):
        ctx.progress(i)
        bn = ctx.run(cls, *args, **kwargs, stage="constructor")
        rec = describe_module(bn)
        outputs = []
        if affine is not None and rec["is_module"]:
            x, weights, lr = affine
            bn.train()
            params = list(bn.parameters())
            y = ctx.run(bn, x.clone(), stage="forward")
            if params and isinstance(y, torch.Tensor):
                grads = torch.autograd.grad((y * weights).sum(), params, allow_unused=True)
                with torch.no_grad():
                    for p, g in zip(params, grads):
                        if g is not None:
                            p -= lr * g
        for mode, x in steps:
            if rec["is_module"]:
                bn.train(mode == "train")
            with torch.no_grad():
                outputs.append(ctx.run(bn, x.clone(), stage="forward"))
        rec["outputs"] = outputs
        out.append(rec)
    return ctx.plain(out)


# ------------------------------------------------------------------ DigitsCNN / train_digits
def digits_shape_probe(ctx, target, x):
    cls = ctx.lookup("DigitsCNN")
    model = ctx.run(cls, stage="constructor")
    rec = describe_module(model)
    if rec["is_module"]:
        model.eval()
        with torch.no_grad():
            rec["out"] = ctx.run(model, x.clone(), stage="forward")
    return ctx.plain(rec)


def _predict(model, X):
    params = list(model.parameters())
    device = params[0].device if params else torch.device("cpu")
    with torch.no_grad():
        scores = model(torch.from_numpy(X).to(device))
    return scores.detach().cpu()


def digits_train_probe(ctx, target, X_train, y_train, X_test, check_accuracy):
    fn = ctx.lookup(target)
    start = time.perf_counter()
    model = ctx.run(fn, X_train.copy(), y_train.copy(), stage="train_digits")
    rec = {"seconds": time.perf_counter() - start, **describe_module(model)}
    rec.pop("params")
    if not rec["is_module"]:
        return rec
    rec["training"] = sorted(type(m).__name__ for m in model.modules() if m.training)
    model.eval()
    scores = ctx.run(_predict, model, X_test, stage="predict")
    rec["scores_shape"] = tuple(scores.shape) if isinstance(scores, torch.Tensor) else None
    if check_accuracy and isinstance(scores, torch.Tensor) and scores.ndim == 2:
        rec["pred"] = scores.argmax(dim=1).numpy()
    return ctx.plain(rec)


# ------------------------------------------------------------------ set_seed
def seed_probe(ctx, target, seeds):
    """Scramble every RNG, call set_seed, draw from each library."""
    fn = ctx.lookup(target)
    out = []
    for i, seed in enumerate(seeds):
        ctx.progress(i)
        random.seed(1000 + 7 * i)
        np.random.seed(2000 + 7 * i)
        torch.manual_seed(3000 + 7 * i)
        ctx.run(fn, seed, stage="set_seed")
        draws = {"random": [random.random() for _ in range(4)], "numpy": np.random.rand(4),
                 "torch": torch.rand(4)}
        out.append(ctx.plain(draws))
    return out


# ------------------------------------------------------------------ generated cases
@shares_child
def tensor_call_probe(ctx, target, cases, keep_args=False):
    """cases: (args, kwargs) drawn as numpy arrays (the engine's domains); the contract takes tensors, so
    they become tensors here, before the learner's function sees them."""
    fn = ctx.lookup(target)
    out = []
    for i, (args, kwargs) in enumerate(cases):
        ctx.progress(i)
        args, kwargs = helpers.as_tensors(args, kwargs)
        out.append(ctx.observe(fn, args, kwargs, keep_args=keep_args))
    return out
