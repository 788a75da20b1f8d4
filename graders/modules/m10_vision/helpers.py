"""Sandbox-side probes of 10_vision: nothing here knows an expected value.

``numpy_only`` is ``call_each`` for the exercises the syllabus writes in numpy with torch off
limits (the conv and pooling backward passes): blocking every torch function by dotted path
would mean wrapping thousands of them for every exercise, so instead a profile hook watches
the learner's call, and a call from the answer cell into torch (a function of the torch
package, a method of a tensor) is reported like any blocked call ("implement it yourself").

``focal_probe`` calls a loss on tensors and, for the gradient checks, back-propagates
through what the learner returned, with a fixed weighting for ``reduction="none"``.
"""
from __future__ import annotations

import copy
import importlib.util
import os
import sys

from graders.engine.sandbox import blocking


def _torch_dir() -> str:
    """Where torch's Python files live (found without importing torch: the grading process imports this file
    for its probe references only)."""
    spec = importlib.util.find_spec("torch")
    return os.path.dirname(spec.origin) if spec is not None and spec.origin else "\0no torch"


class TorchWatch:
    """Records whether the answer's own code calls into torch while the watched function runs.

    Only calls made *from the answer cell's code* count (the cell that defines the watched function):
    a helper from an earlier cell (say an ``im2col`` that pads with ``F.pad``) may use torch, since
    only this exercise's code has to be numpy.
    """

    def __init__(self):
        self.seen = False
        self.own = None                 # the answer cell's file name; None: every caller counts
        self.torch_dir = _torch_dir()

    def _mine(self, frame) -> bool:
        return frame is not None and (self.own is None or frame.f_code.co_filename == self.own)

    def _hook(self, frame, event, arg):
        if self.seen:
            return
        if event == "c_call":
            owner = getattr(arg, "__self__", None)
            module = getattr(arg, "__module__", None) or ""
            if (module.startswith("torch") or (type(owner).__module__ or "").startswith("torch")) and self._mine(frame):
                self.seen = True
        elif event == "call" and frame.f_code.co_filename.startswith(self.torch_dir) and self._mine(frame.f_back):
            self.seen = True

    def watch(self, fn):
        code = getattr(fn, "__code__", None)
        self.own = code.co_filename if code is not None else None

        def watched(*args, **kwargs):
            sys.setprofile(self._hook)
            try:
                return fn(*args, **kwargs)
            finally:
                sys.setprofile(None)

        return watched


def numpy_only(ctx, target: str, cases, keep_args: bool = False):
    """``probes.call_each`` with torch off limits: a call into torch is reported as a blocked call."""
    fn = ctx.lookup(target)
    watch = TorchWatch()
    out = []
    for i, (args, kwargs) in enumerate(cases):
        ctx.progress(i)
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        out.append(ctx.observe(watch.watch(fn), args, kwargs, keep_args=keep_args))
    if watch.seen:
        blocking.CALLS.append("torch")
    return out


def focal_probe(ctx, target: str, cases, with_grad: bool):
    """Call the loss on each case; with ``with_grad``, logits require grad and the gradient comes back.

    ``cases``: ``(args, kwargs, weight)``; the weight (a tensor shaped like the logits) turns a
    ``reduction="none"`` output into a scalar, ``sum(weight * loss)``, before ``backward``.
    """
    fn = ctx.lookup(target)
    out = []
    for i, (args, kwargs, weight) in enumerate(cases):
        ctx.progress(i)
        logits, rest, kwargs = args[0].detach().clone(), copy.deepcopy(tuple(args[1:])), copy.deepcopy(kwargs)
        if with_grad:
            logits.requires_grad_(True)
        returned = {}

        def call(logits=logits, rest=rest, kwargs=kwargs, returned=returned):
            returned["value"] = fn(logits, *rest, **kwargs)
            return returned["value"]

        obs = ctx.observe(call)
        if with_grad and "error" not in obs:
            obs["grad"] = _gradient(ctx, returned["value"], logits, weight)
        out.append(obs)
    return out


def _gradient(ctx, value, logits, weight):
    """d(sum(weight * value))/d logits, or {"missing": why} when the value is not on the autograd graph."""
    import torch

    if not isinstance(value, torch.Tensor):
        return {"missing": f"a {type(value).__name__}, not a tensor"}
    if not value.requires_grad:
        return {"missing": "a tensor that does not require grad"}
    if value.is_complex() or not value.is_floating_point():
        return {"missing": f"a {value.dtype} tensor"}
    try:
        scalar = (value * weight).sum() if weight is not None and value.shape == weight.shape else value.sum()
        (grad,) = ctx.run(torch.autograd.grad, scalar, logits, allow_unused=True, stage="backward")
    except Exception as exc:  # noqa: BLE001 - LearnerFailure (their backward) or a shape problem
        info = getattr(exc, "info", None)
        return {"error": info if isinstance(info, dict) else {"type": type(exc).__name__, "message": str(exc)[:300],
                                                               "trace": [], "stage": "backward",
                                                               "not_implemented": False}}
    if grad is None:
        return {"missing": "a tensor that does not depend on the logits"}
    return ctx.plain(grad)
