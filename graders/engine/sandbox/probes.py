"""Standard probes: sandbox-side functions that call learner code and observe it.

Each runs in a forked child of the sandbox and returns plain data only. A module's
own probes live in its sandbox-side files (the ``graders.modules`` names in its
``preload``); these cover the common shapes: call a function on each case, build an
object and call its methods, time one call.
"""
from __future__ import annotations

import copy
import random
import sys

from .server import seed_everything


def call_each(ctx, target: str, cases, keep_args: bool = False):
    """Call ``target(*args, **kwargs)`` for each (args, kwargs); one observation per case."""
    fn = ctx.lookup(target)
    out = []
    for i, (args, kwargs) in enumerate(cases):
        ctx.progress(i)
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        out.append(ctx.observe(fn, args, kwargs, keep_args=keep_args))
    return out


def method_calls(ctx, target: str, init_args=(), init_kwargs=None, steps=(), attrs=()):
    """Build ``target(*init_args, **init_kwargs)``, run ``steps`` on it, then read ``attrs``.

    ``steps`` is a list of ``(method, args, kwargs)``; each gives one observation.
    A method returning the object itself is reported as ``{"is_self": True}``
    (fit returning self) instead of being converted. Construction failures and
    a missing class are reported like any learner error.
    """
    cls = ctx.lookup(target)
    obj = ctx.run(cls, *copy.deepcopy(tuple(init_args)), stage="constructor", **copy.deepcopy(dict(init_kwargs or {})))
    out = {"steps": [], "attrs": {}}
    for i, (method, args, kwargs) in enumerate(steps):
        ctx.progress(i)
        bound = getattr(obj, method, None)
        if bound is None:
            out["steps"].append({"error": {"type": "AttributeError", "message": f"no method `{method}`",
                                           "trace": [], "stage": method, "not_implemented": False}})
            continue
        args, kwargs = copy.deepcopy(tuple(args)), copy.deepcopy(dict(kwargs or {}))
        returned = {}

        def call(bound=bound, args=args, kwargs=kwargs, returned=returned):
            value = bound(*args, **kwargs)
            returned["self"] = value is obj
            return None if value is obj else value

        obs = ctx.observe(call, stage=method)
        if returned.get("self"):
            obs = {"is_self": True, "seconds": obs.get("seconds", 0.0)}
        out["steps"].append(obs)
    for name in attrs:
        try:
            out["attrs"][name] = ctx.plain(getattr(obj, name))
        except BaseException as exc:  # noqa: BLE001 - a property may raise anything
            out["attrs"][name] = {"missing": f"{type(exc).__name__}: {exc}"[:200]}
    return out


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
