"""Sandbox side of 01_python's batched, vectorized_distance and LRUCache checks.

Probes and the inputs they hand to learner code (counting iterators, the op streams of
the cache). Nothing here knows an expected value: the probes report what happened
(batches, item counts, timings, the values ``get`` returned) and the judges next door
(``batched.py``, ``distance.py``, ``lru.py``) decide in the grading process.
"""
from __future__ import annotations

import copy
import itertools
import random
import time

import numpy as np

from graders.engine.sandbox.probing import LearnerFailure, error_info

MAX_BATCHES = 10_000         # a runaway generator stops being read here
_CLOCK = time.thread_time    # LRUCache's timings: CPU time, bound at import so that an answer's cell cannot swap it
_CHUNK = 200                 # ... and how many operations run between two looks at a round's time limit


class PulledTooFar(Exception):
    """Raised by the guarded source when learner code pulls more items than it may."""


# ------------------------------------------------------------------ batched
def make_source(spec, counter: list):
    """The iterable a case describes; ``counter[0]`` counts the items pulled from it."""
    kind = spec[0]
    if kind == "list":
        return list(spec[1])
    if kind == "tuple":
        return tuple(spec[1])
    if kind == "str":
        return str(spec[1])
    if kind == "range":
        return range(*spec[1])
    if kind == "gen":
        return _counting(iter(spec[1]), counter)
    if kind == "count":
        return _counting(itertools.count(), counter)
    if kind == "guarded":                       # endless, and refuses item number limit + 1
        return _guarded(spec[1], counter)
    raise ValueError(kind)


def _counting(it, counter):
    for item in it:
        counter[0] += 1
        yield item


def _guarded(limit, counter):
    for item in itertools.count():
        if counter[0] >= limit:
            raise PulledTooFar(f"pulled item number {limit + 1} from the input, more than the batches taken need")
        counter[0] += 1
        yield item


def batched_probe(ctx, target, cases):
    """Per case (source, n, take): call, pull up to ``take`` batches (all when None), report the batches,
    the items pulled after each, whether two batches were one list object, and a ValueError's stage.

    Batches are converted only after the last one was pulled, so a generator that reuses (and clears)
    one list for every batch is seen as the caller sees it.
    """
    fn = ctx.lookup(target)
    out = []
    for i, (source, n, take) in enumerate(cases):
        ctx.progress(i)
        counter, state = [0], {"stage": "call"}

        def pull(source=source, n=n, take=take, counter=counter, state=state):
            try:
                result = fn(make_source(source, counter), n)
                state["stage"] = "next"
                it = iter(result)
                got, pulled = [], []
                while len(got) < (take if take is not None else MAX_BATCHES):
                    try:
                        batch = next(it)
                    except StopIteration:
                        break
                    got.append(batch)
                    pulled.append(counter[0])
            except BaseException as exc:
                state["value_error"] = isinstance(exc, ValueError)
                raise
            state["shared"] = len({id(b) for b in got}) < len(got)
            return {"batches": got, "pulled": pulled}

        obs = ctx.observe(pull)
        obs.update(stage=state["stage"], shared=state.get("shared", False), value_error=state.get("value_error"),
                   pulled_total=counter[0])
        out.append(obs)
    return out


# ------------------------------------------------------------------ vectorized_distance
def distance_speed_probe(ctx, target, A, B, rows, cols):
    """One round of the speed race: time the learner's call, then read sampled entries of its result, so that
    the time only counts for a correct answer. The yardstick (the clipped expansion) is timed in the reference
    process (graders.engine.yardstick), never in this one."""
    fn = ctx.lookup(target)
    try:
        ctx.progress(0)
        seconds = ctx.best_time(fn, (A.copy(), B.copy()), repeat=1)
        value = ctx.run(fn, A.copy(), B.copy(), stage="vectorized_distance")
    except LearnerFailure as failure:     # reported as data: the judge names a MemoryError's likely cause
        return {"seconds": float("inf"), "error": failure.info}
    try:
        arr = np.asarray(value)
        shape_ok = arr.shape == (len(A), len(B))
        sample = np.asarray(arr[rows, cols], dtype=float).tolist() if shape_ok else None
        info = {"shape": tuple(arr.shape), "dtype": str(arr.dtype), "nan": int(np.isnan(arr).sum())
                if arr.dtype.kind == "f" else 0, "sample": sample}
    except Exception as exc:  # noqa: BLE001 - whatever the learner returned
        info = {"unreadable": f"{type(value).__name__}: {type(exc).__name__}"}
    return {"seconds": seconds, "result": info}


# ------------------------------------------------------------------ LRUCache
def lru_trace_probe(ctx, target, runs):
    """Per run (capacity, ops): build the cache, apply the ops, report what each returned.

    ops: ("put", k, v), ("get", k), ("getd", k, default), ("len",), ("in", k). A failing op ends the run;
    a failing constructor is reported with whether it raised a ValueError.
    """
    cls = ctx.lookup(target)
    out = []
    for i, (capacity, ops) in enumerate(runs):
        ctx.progress(i)
        try:
            cache = cls(capacity)
        except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
            out.append({"ctor_error": error_info(exc, "LRUCache(capacity)"), "value_error": isinstance(exc, ValueError),
                        "results": []})
            continue
        results, error, at = [], None, None
        for j, op in enumerate(ops):
            obs = ctx.observe(_apply, (cache, op), stage=op[0])
            if "error" in obs:
                error, at = obs["error"], j
                break
            results.append(obs["value"])
        out.append({"results": results, "error": error, "at": at})
    return out


def _apply(cache, op):
    kind = op[0]
    if kind == "put":
        cache.put(op[1], op[2])
        return None
    if kind == "get":
        return cache.get(op[1])
    if kind == "getd":
        return cache.get(op[1], op[2])
    if kind == "len":
        return len(cache)
    if kind == "in":
        return op[1] in cache
    raise ValueError(kind)


def lru_workload(capacity: int, n_ops: int, seed: int):
    """The op stream of the scaling check: half gets (mostly hits among recent keys), half puts (new keys,
    which evict, and updates of cached keys). A data generator, used on both sides."""
    rng = random.Random(seed)
    ops, next_key = [], capacity
    for _ in range(n_ops):
        r = rng.random()
        if r < 0.5:
            ops.append(("get", next_key - 1 - int(rng.random() * capacity * 0.9)))
        elif r < 0.8:
            ops.append(("put", next_key, next_key))
            next_key += 1
        else:
            ops.append(("put", next_key - 1 - int(rng.random() * capacity * 0.5), -1))
    return ops


def lru_scaling_probe(ctx, target, small, large, n_ops, seed, budget):
    """Time ``n_ops`` mixed operations on a full cache of capacity ``small`` and of ``large``, best of 3 each
    (the fill untimed); report the best times and the values ``get`` returned in the first round.

    The clock is this thread's CPU time: a slice taken by another process, or a pause of the machine, is not
    the answer's time. Measuring stops early only where more could not change the verdict: after a round
    clearly within budget, and in a later round's large workload once it has run longer than ``budget`` times
    the best small time (it could no longer bring the best ratio under budget, so it is not counted). An answer
    is thus found over budget only by three rounds, and an O(capacity) one pays for one full slow round."""
    cls = ctx.lookup(target)
    workloads = {cap: lru_workload(cap, n_ops, seed) for cap in (small, large)}
    best = {small: float("inf"), large: float("inf")}
    returned = {}
    for attempt in range(3):
        for cap in (small, large):
            ctx.progress(attempt)
            cache = ctx.run(cls, cap, stage="LRUCache(capacity)")
            ctx.run(_fill, cache, cap, stage="put")
            limit = budget * best[small] if attempt and cap == large else None
            seconds, got = ctx.run(_timed_ops, cache, workloads[cap], limit, stage="get/put")
            if seconds is not None:
                best[cap] = min(best[cap], seconds)
            returned.setdefault(cap, got)        # the first round is never cut short
        if best[large] <= best[small] * budget / 2:
            break        # clearly within budget: no need to measure again
    return {"small": best[small], "large": best[large], "returned": {c: copy.copy(v) for c, v in returned.items()}}


def _fill(cache, capacity):
    for key in range(capacity):
        cache.put(key, key)


def _timed_ops(cache, ops, limit=None):
    """(CPU seconds, values get returned); (None, ...) once past ``limit`` seconds, looked at between chunks
    of operations so that the loop an operation runs in is the same for every capacity and limit."""
    got = []
    start = _CLOCK()
    for at in range(0, len(ops), _CHUNK):
        for op in ops[at:at + _CHUNK]:
            if op[0] == "get":
                got.append(cache.get(op[1]))
            else:
                cache.put(op[1], op[2])
        if limit is not None and _CLOCK() - start > limit:
            return None, got
    return _CLOCK() - start, got
