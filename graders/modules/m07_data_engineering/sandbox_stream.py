"""Sandbox side of TumblingCounter: build the learner's operator, replay a stream, report every return."""
from __future__ import annotations

from graders.engine.sandbox.probing import error_info, to_plain_safely

from .helpers import cell


def _emitted(value):
    """A process()/flush() return as plain [[window_start, key, count], ...], or a description."""
    if not isinstance(value, (list, tuple)):
        return {"not_list": to_plain_safely(value) if value is None else type(value).__name__}
    items = []
    for item in value:
        if not isinstance(item, (list, tuple)) or len(item) != 3:
            return {"bad_item": type(item).__name__ if not isinstance(item, (list, tuple)) else f"{len(item)} items"}
        start, key, count = item
        items.append([cell(start), cell(key), _count(count)])
    return items


def _count(v):
    import numpy as np

    if isinstance(v, (bool, np.bool_)):
        return ["bad", "bool"]
    if isinstance(v, (int, np.integer)):
        return int(v)
    return ["bad", type(v).__name__]


def stream_replay(ctx, target: str, cases):
    """Each case: (init_args, events). Build the operator, feed every event, flush, read late_events."""
    cls = ctx.lookup(target)
    out = []
    for i, (init_args, events) in enumerate(cases):
        ctx.progress(i)
        try:
            op = cls(*init_args)
        except BaseException as exc:  # noqa: BLE001
            out.append({"error": error_info(exc, "the constructor")})
            continue
        steps, failed = [], None
        for n, (ts, key) in enumerate(events):
            try:
                steps.append(_emitted(op.process(ts, key)))
            except BaseException as exc:  # noqa: BLE001
                failed = {"at": n, "error": error_info(exc, "process")}
                break
        obs = {"steps": steps}
        if failed:
            obs["failed"] = failed
        else:
            try:
                obs["flush"] = _emitted(op.flush())
            except BaseException as exc:  # noqa: BLE001
                obs["failed"] = {"at": "flush", "error": error_info(exc, "flush")}
            try:
                obs["late"] = _count(op.late_events)
            except BaseException as exc:  # noqa: BLE001
                obs["late"] = ["bad", type(exc).__name__]
        out.append(to_plain_safely(obs))
    return out
