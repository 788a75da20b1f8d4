"""Standard probes: sandbox-side functions that call learner code and observe it.

Each runs in a forked child of the sandbox and returns plain data only. A module's
own probes live in its sandbox-side files (the ``graders.modules`` names in its
``preload``); these cover the common shapes: call a function on each case; build an
object, call its methods and read its attributes (the stateful-object probe of the
estimator and monitor exercises); time one call; run another probe under varied
global seeds.
"""
from __future__ import annotations

import copy
import random
import sys
import time

from .probing import LearnerFailure
from .server import seed_everything


def shares_child(probe):
    """Mark a probe that only calls the learner's function on deep copies of its inputs and keeps nothing of
    its own from one request to the next (``call_each``, and module probes built the same way): in a module
    of pure functions (``Module.shared_child``) an exercise's checks that use it share one child
    (``runner._lane``) instead of a fork each."""
    probe.shares_child = True
    return probe


@shares_child
def call_each(ctx, target: str, cases, keep_args: bool = False):
    """Call ``target(*args, **kwargs)`` for each (args, kwargs); one observation per case."""
    fn = ctx.lookup(target)
    out = []
    for i, (args, kwargs) in enumerate(cases):
        ctx.progress(i)
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        out.append(ctx.observe(fn, args, kwargs, keep_args=keep_args))
    return out


def object_run(init=(), init_kwargs=None, steps=(), attrs=(), required=(), stop=False, keep_init=False) -> dict:
    """One run of :func:`object_runs`, as plain data.

    ``steps``: ``(name, method, args)`` or ``(name, method, args, kwargs)``, called in order; ``required``:
    the step names whose failure rejects the run (``fit``: nothing after it means anything); ``stop``:
    call no more steps after one failed; ``attrs``: attributes read after the steps; ``keep_init``:
    report the constructor's arguments as they are after the steps (did the object modify them?).
    """
    return {"init": (tuple(init), dict(init_kwargs or {})), "attrs": list(attrs), "required": list(required),
            "steps": [(s[0], s[1], tuple(s[2]), dict(s[3] if len(s) > 3 else {})) for s in steps],
            "stop": bool(stop), "keep_init": bool(keep_init)}


@shares_child
def object_runs(ctx, target: str, runs, convert=None, same=None):
    """Build ``target`` once per run (see :func:`object_run`), call its methods, read attributes.

    One plain record per run: ``{"error": info}`` when the constructor or a required step failed
    (the run is *rejected*), else ``{"calls": {name: observation}, "attrs": {name: value}}``, plus
    ``"init_after"`` if asked. Every call gets deep copies, so a learner who modifies an input cannot
    disturb the next call. An observation is ``{"value", "is_self", "seconds"}`` (``is_self``: the
    method returned the object itself, as ``fit`` should) or ``{"error"}``; ``convert`` (sandbox-side)
    turns returned values into plain data (default: the standard conversion); with ``same(before,
    after)`` each observation also lists the ``mutated`` positional arguments.
    """
    cls = ctx.lookup(target)
    out = []
    for i, run in enumerate(runs):
        ctx.progress(i)
        out.append(_one_run(ctx, cls, run, convert or ctx.plain, same))
    return out


def _one_run(ctx, cls, run, convert, same) -> dict:
    args, kwargs = copy.deepcopy(run["init"])
    try:
        obj = ctx.run(cls, *args, stage="the constructor", **kwargs)
    except LearnerFailure as failure:
        return {"error": failure.info}
    record = {"calls": {}, "attrs": {}}
    for name, method, call_args, call_kwargs in run["steps"]:
        obs = _call(ctx, obj, method, call_args, call_kwargs, convert, same)
        if "error" in obs and name in run["required"]:
            return {"error": obs["error"]}
        record["calls"][name] = obs
        if "error" in obs and run["stop"]:
            break
    for name in run["attrs"]:
        try:
            record["attrs"][name] = ctx.plain(getattr(obj, name))
        except BaseException as exc:  # noqa: BLE001 - a property may raise anything
            record["attrs"][name] = {"missing": f"{type(exc).__name__}: {exc}"[:200]}
    if run["keep_init"]:
        record["init_after"] = [ctx.plain(a) for a in args]
    return record


def _call(ctx, obj, method, args, kwargs, convert, same) -> dict:
    try:
        bound = ctx.run(getattr, obj, method, None, stage=method)
    except LearnerFailure as failure:
        return {"error": failure.info}
    if bound is None:
        return {"error": {"type": "AttributeError", "message": f"your object has no method `{method}`",
                          "trace": [], "stage": method, "not_implemented": False}}
    work_args, work_kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    start = time.perf_counter()
    try:
        value = ctx.run(bound, *work_args, stage=method, **work_kwargs)
    except LearnerFailure as failure:
        return {"error": failure.info, "seconds": time.perf_counter() - start}
    obs = {"seconds": time.perf_counter() - start, "value": convert(value), "is_self": value is obj}
    if same is not None:
        obs["mutated"] = [i for i, (before, after) in enumerate(zip(args, work_args)) if not same(before, after)]
    return obs


def time_learner(ctx, target: str, args, method=None, init_kwargs=None, fit_args=()):
    """Seconds one call of the learner's ``target(*args)`` takes (one round of a speed budget).

    For an estimator (``method`` given) the class is built with ``init_kwargs`` and fitted on
    ``fit_args`` untimed, then ``method(*args)`` is timed. Only the time comes back: what the
    call returns is not graded here. The reference it is compared with runs in another process
    (``graders.engine.yardstick``), never in this one.
    """
    obj = ctx.lookup(target)
    if method is not None:
        model = ctx.run(obj, stage="the constructor", **dict(init_kwargs or {}))
        ctx.run(model.fit, *copy.deepcopy(tuple(fit_args)), stage="fit")
        obj = getattr(model, method)
    ctx.progress(0)
    return ctx.best_time(obj, copy.deepcopy(tuple(args)), repeat=1)


def time_reference(ctx, reference, args):
    """Seconds one call of a reference takes; runs only in the reference process, which never
    holds learner code."""
    return ctx.best_time(reference, tuple(args), repeat=1)


# ------------------------------------------------------------------ global random state
def _global_rng_state() -> dict:
    """A fingerprint of each global generator: Python's ``random``, numpy's legacy one, torch's."""
    state = {"random": hash(random.getstate())}
    if "numpy" in sys.modules:
        _, keys, pos, has_gauss, cached = sys.modules["numpy"].random.get_state()
        state["numpy"] = (keys.tobytes(), pos, has_gauss, cached)
    if "torch" in sys.modules:
        state["torch"] = bytes(sys.modules["torch"].get_rng_state().numpy())
    return state


class _Reseeding:
    """A probe context that reseeds the global generators as each case starts (``progress(i)``), and
    notes which of them the case then changed: code drawing from them instead of from its own seeded
    generator gives other results under another global seed, and changes their state."""

    def __init__(self, ctx, seeds):
        self._ctx, self._seeds = ctx, list(seeds)
        self.used: dict[int, list[str]] = {}
        self._open = None

    def __getattr__(self, name):
        return getattr(self._ctx, name)

    def progress(self, index: int) -> None:
        self.close_case()
        self._ctx.progress(index)
        seed_everything(self._seeds[index % len(self._seeds)])
        self._open = (index, _global_rng_state())

    def close_case(self) -> None:
        if self._open is not None:
            index, before = self._open
            after = _global_rng_state()
            self.used[index] = sorted(k for k in after if before.get(k) != after[k])
            self._open = None


def under_global_seeds(ctx, seeds, probe, *args):
    """Run ``probe(ctx, *args)`` with case ``i`` under global seed ``seeds[i]``; each case's observation
    gains ``"global_rng"``: the global generators that case changed (``["numpy"]``, ``["torch"]``...).

    The inner probe must call ``ctx.progress(i)`` as each case starts and return one dict per case."""
    reseeding = _Reseeding(ctx, seeds)
    value = probe(reseeding, *args)
    reseeding.close_case()
    if not isinstance(value, list) or not all(isinstance(obs, dict) for obs in value):
        raise TypeError(f"under_global_seeds needs a probe returning one dict per case, not {type(value).__name__}")
    for i, obs in enumerate(value):
        obs["global_rng"] = reseeding.used.get(i, [])
    return value
