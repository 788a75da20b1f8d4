"""LRUCache(capacity): get/put/len/in with least-recently-used eviction, O(1) per operation.

The reference is an ``OrderedDict`` model run in the grading process over the same
operations; its variants (FIFO, put without refresh, capacity off by one, ``in`` that
refreshes) name the slip. O(1) is graded as pinned: 20 000 mixed operations on a full
cache of capacity 50 000 may take at most 5x the time at capacity 500 (best of 3, CPU time
of the probe's thread, so that a busy or paused machine is not the answer's slowness), and
the times count only when the values ``get`` returned are right.
"""
from __future__ import annotations

import random
from collections import OrderedDict
from functools import cache

from graders.engine.compare import describe
from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .sandbox_basics import lru_scaling_probe, lru_trace_probe, lru_workload

SMALL, LARGE, N_OPS, BUDGET = 500, 50_000, 20_000, 5.0


def lru_ref(capacity, ops, fifo=False, put_refresh=True, slack=0, in_refreshes=False, evict_first=False):
    """What each op returns (put -> None). The keyword arguments build the known wrong variants."""
    d, out = OrderedDict(), []
    for op in ops:
        kind = op[0]
        if kind == "put":
            if evict_first and len(d) >= capacity:
                d.popitem(last=False)
            if op[1] in d and put_refresh:
                d.move_to_end(op[1])
            d[op[1]] = op[2]
            while len(d) > capacity + slack:
                d.popitem(last=False)
            out.append(None)
        elif kind in ("get", "getd"):
            default = op[2] if kind == "getd" else None
            if op[1] in d:
                if not fifo:
                    d.move_to_end(op[1])
                out.append(d[op[1]])
            else:
                out.append(default)
        elif kind == "len":
            out.append(len(d))
        else:
            if in_refreshes and op[1] in d:
                d.move_to_end(op[1])
            out.append(op[1] in d)
    return out


VARIANTS = (
    Mistake("fifo", "your `get` does not make the key most recently used, so the cache evicts in insertion "
            "order (FIFO), not least-recently-used: a hit must move the key to the most recent end",
            variant=lambda cap, ops: lru_ref(cap, ops, fifo=True)),
    Mistake("put-no-refresh", "`put` of a key already in the cache updated its value but did not make it the "
            "most recently used", variant=lambda cap, ops: lru_ref(cap, ops, put_refresh=False)),
    Mistake("capacity-off-by-one", "your cache holds one item more than its capacity before evicting (evict "
            "when len > capacity)", variant=lambda cap, ops: lru_ref(cap, ops, slack=1)),
    Mistake("capacity-off-by-one", "your cache holds one item fewer than its capacity (evict only when len > "
            "capacity, after inserting)", variant=lambda cap, ops: lru_ref(cap, ops, slack=-1)),
    Mistake("evicts-on-update", "when the cache was full, `put` of a key already in it evicted another key: "
            "only a new key needs room, so insert (or update) first and evict only while len > capacity",
            variant=lambda cap, ops: lru_ref(cap, ops, evict_first=True)),
    Mistake("in-refreshes", "`key in cache` changed the recency of the key: `in` and `len` must only look "
            "(does your __contains__ call get()?)", variant=lambda cap, ops: lru_ref(cap, ops, in_refreshes=True)),
)
LIST_ORDER = Mistake("list-order", "the time per operation grows with the capacity: keeping the order in a list "
                     "(`order.remove(key)`, `key in order`) costs O(capacity) per operation, and so does finding "
                     "the oldest key of a plain dict with `next(iter(d))` (CPython skips the deleted slots at its "
                     "start). Use collections.OrderedDict (`move_to_end`, `popitem(last=False)`) or a dict plus a "
                     "doubly linked list")


def _show(op) -> str:
    kind = op[0]
    if kind == "put":
        return f"put({op[1]!r}, {op[2]!r})"
    if kind in ("get", "getd"):
        return f"get({', '.join(repr(x) for x in op[1:])})"
    return "len(cache)" if kind == "len" else f"{op[1]!r} in cache"


def _history(ops, j) -> str:
    if j < 14:
        return "after " + ", ".join(_show(op) for op in ops[:j]) + ", " if j else ""
    return f"after {j} operations, "


def judge_trace(cases, observations):
    for case, obs in zip(cases, observations):
        capacity, ops = case.args
        if "ctor_error" in obs and obs["ctor_error"].get("not_implemented"):
            return error_failure(case, obs["ctor_error"])
        if capacity < 1:
            if "ctor_error" not in obs:
                return incorrect(case, "LRUCache(capacity) with capacity < 1 must raise ValueError; yours built a "
                                       "cache.", "capacity-not-validated")
            if not obs["value_error"]:
                return incorrect(case, f"LRUCache({capacity}) raised {obs['ctor_error']['type']}; raise "
                                       "ValueError.", "capacity-not-validated")
            continue
        if "ctor_error" in obs:
            return error_failure(case, obs["ctor_error"])
        want = lru_ref(capacity, ops)
        got = obs["results"]
        for j, (g, w) in enumerate(zip(got, want)):
            if g == w and (g is None) == (w is None):
                continue
            for m in VARIANTS:
                wrong = m.variant(capacity, ops)
                if got == wrong[:len(got)] and wrong[:len(got)] != want[:len(got)]:
                    return incorrect(case, m.message + ".", m.id)
            op = ops[j]
            slip = ""
            if op[0] == "getd" and w == op[2] and g is None:
                slip = " A miss must return `default`."
            elif op[0] in ("get", "getd") and w is None and g == (op[2] if op[0] == "getd" else None):
                slip = " A stored value of None is a hit: test `key in self.data`, not the value."
            said = (f"{_history(ops, j)}`{_show(op)}` returned {describe(g)}, which is not what an LRU cache of "
                    f"capacity {capacity} gives.{slip}")
            if "None is a hit" in slip:
                return incorrect(case, said, "none-value-as-miss")
            return incorrect(case, said)
        if obs["error"] is not None:
            return error_failure(case, obs["error"])
    return None


def trace(capacity, ops, label):
    return Case((capacity, ops), {}, label)


def _example():
    ops = [("put", "a", 1), ("put", "b", 2), ("get", "a"), ("put", "c", 3), ("get", "b"), ("get", "c"), ("len",),
           ("in", "a")]
    return [trace(2, ops, "the notebook's example (capacity 2)")]


def _recency_cases():
    get_refresh = [("put", 1, "one"), ("put", 2, "two"), ("put", 3, "three"), ("get", 1), ("put", 4, "four"),
                   ("get", 2), ("get", 1), ("get", 3), ("get", 4)]
    put_refresh = [("put", "x", 1), ("put", "y", 2), ("put", "x", 10), ("put", "z", 3), ("get", "y"), ("get", "x"),
                   ("get", "z"), ("len",)]
    looks_only = [("put", "p", 1), ("put", "q", 2), ("in", "p"), ("len",), ("put", "r", 3), ("in", "p"),
                  ("get", "q"), ("get", "r"), ("len",)]
    exact = [("put", k, k * k) for k in range(5)] + [("len",), ("get", 0), ("put", 5, 25), ("get", 1), ("len",),
                                                      ("get", 0), ("in", 2)]
    return [trace(3, get_refresh, "capacity 3: a get of the oldest key, then a new key"),
            trace(2, put_refresh, "capacity 2: put of an existing key, then a new key"),
            trace(2, looks_only, "capacity 2: `in` and `len` between puts"),
            trace(5, exact, "capacity 5 filled exactly, then one more key")]


def _edge_cases():
    defaults = [("put", "k", None), ("getd", "k", "fallback"), ("getd", "zz", "fallback"), ("get", "zz"),
                ("in", "k"), ("len",), ("put", ("t", 1), [1, 2]), ("get", ("t", 1))]
    single = [("put", 1, "a"), ("get", 1), ("put", 2, "b"), ("get", 1), ("get", 2), ("len",), ("in", 1)]
    return [trace(4, defaults, "get with a default, a stored None value and a tuple key (capacity 4)"),
            trace(1, single, "capacity 1")]


def _random_cases():
    rng = random.Random(seed_for("01_python", "LRUCache", "random"))
    out = []
    for capacity, n_ops, universe in [(3, 120, 6), (5, 300, 9), (8, 400, 14)]:
        keys = [k if k % 3 else f"k{k}" for k in range(universe)]
        ops = []
        for _ in range(n_ops):
            r, key = rng.random(), rng.choice(keys)
            ops.append(("put", key, rng.randrange(100)) if r < 0.45 else ("get", key) if r < 0.8 else
                       ("getd", key, -1) if r < 0.88 else ("in", key) if r < 0.95 else ("len",))
        out.append(trace(capacity, ops, f"{n_ops} random operations on {universe} keys (capacity {capacity})"))
    return out


def _bad_capacity_cases():
    return [trace(0, [], "LRUCache(0)"), trace(-3, [], "LRUCache(-3)"),
            trace(2, [("put", 1, 1), ("put", 2, 2), ("put", 3, 3), ("in", 1), ("get", 3)], "capacity 2 (valid)")]


@cache
def _scaling_expected(capacity):
    ops = lru_workload(capacity, N_OPS, seed_for("01_python", "LRUCache", "scaling"))
    fill = [("put", k, k) for k in range(capacity)]
    values = lru_ref(capacity, fill + ops)[capacity:]
    return [v for op, v in zip(ops, values) if op[0] == "get"]


def judge_scaling(cases, obs):
    case = cases[0]
    for capacity in (SMALL, LARGE):
        if obs["returned"].get(capacity) != _scaling_expected(capacity):
            return incorrect(case, f"on the timing workload (capacity {capacity}) your `get` returned wrong values, "
                                   "so the time does not count; make the other checks pass first.")
    ratio = obs["large"] / max(obs["small"], 1e-6)
    if ratio > BUDGET:
        return incorrect(case, f"at capacity {LARGE} your operations took {ratio:.0f}x as long as at capacity "
                               f"{SMALL} (budget {BUDGET:g}x): {LIST_ORDER.message}.", LIST_ORDER.id)
    return None


def _trace_check(title, points, cases):
    return Check(title, points, cases, judge_trace, probe=lru_trace_probe,
                 probe_args=lambda target, cs: (target, [c.args for c in cs]), target="LRUCache")


LRUCache = Exercise(
    "LRUCache",
    skill="data structures",
    alone=True,     # its O(1) verdict is a ratio of two times measured in one probe: no neighbour on the other core
    hints=(
        "An LRU cache needs two things in O(1): find a key (a dict) and know which key was used least recently "
        "(an order you can update in O(1)). collections.OrderedDict gives both.",
        "Keep an OrderedDict. get: on a hit, move_to_end(key) and return the value, else return default. put: "
        "store the value, move_to_end(key), and if len > capacity, popitem(last=False). __len__ and "
        "__contains__ only look. Check capacity in __init__.",
        "`if key not in self._data: return default`; `self._data.move_to_end(key)`; in put: "
        "`self._data[key] = value; self._data.move_to_end(key)`; "
        "`if len(self._data) > self.capacity: self._data.popitem(last=False)`",
    ),
    checks=(
        _trace_check("the example in the notebook", 1, _example),
        _trace_check("least recently used eviction: get and put refresh, in and len do not", 3, _recency_cases),
        _trace_check("get with a default, None values, tuple keys, capacity 1", 1, _edge_cases),
        _trace_check("random operation sequences behave like an LRU cache", 2, _random_cases),
        _trace_check("capacity < 1 raises ValueError", 1, _bad_capacity_cases),
        Check(f"O(1) per operation: capacity {LARGE} within {BUDGET:g}x the time of capacity {SMALL}", 2,
              [Case((), {}, f"{N_OPS} mixed get/put operations on a full cache")], judge_scaling,
              probe=lru_scaling_probe, timeout=40.0, timeout_mistake=LIST_ORDER,
              probe_args=lambda target, cs: (target, SMALL, LARGE, N_OPS, seed_for("01_python", "LRUCache",
                                                                                    "scaling"), BUDGET)),
    ),
)
