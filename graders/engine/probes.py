"""Standard probes: sandbox-side functions that call learner code and observe it.

Each runs in a forked child of the sandbox and returns plain data only. Module
specs may define their own probes next to their checks; these cover the common
shapes: call a function on each case, build an object and call its methods.
"""
from __future__ import annotations

import copy


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


def timed_against_reference(ctx, target: str, reference, ref_args, args, budget: float, method=None,
                            init_kwargs=None, fit_args=()):
    """Time the learner's code against a sandbox-side reference, interleaved, best of up to three each.

    ``target(*args)`` is timed; for an estimator (``method`` given) the class is built with
    ``init_kwargs``, fitted on ``fit_args`` untimed, and ``method(*args)`` is timed. Only
    times come back: what the calls return is not graded here.
    """
    obj = ctx.lookup(target)
    if method is not None:
        model = ctx.run(obj, stage="the constructor", **dict(init_kwargs or {}))
        ctx.run(model.fit, *copy.deepcopy(tuple(fit_args)), stage="fit")
        obj = getattr(model, method)
    ref_times, times = [], []
    for _ in range(3):
        ctx.progress(0)
        ref_times.append(ctx.best_time(reference, tuple(ref_args), repeat=1))
        times.append(ctx.best_time(obj, copy.deepcopy(tuple(args)), repeat=1))
        ratio = min(times) / max(min(ref_times), 1e-9)
        if ratio <= budget / 2 or times[-1] > 2 * budget * min(ref_times):
            break          # clearly within or clearly over budget: no need to measure again
    return {"ref": min(ref_times), "learner": min(times)}
