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
