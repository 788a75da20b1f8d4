"""batched(iterable, n): lists of n items, the last one shorter, pulled lazily from any iterable."""
from __future__ import annotations

import itertools

from graders.engine.compare import describe
from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise, Mistake

from .sandbox_basics import MAX_BATCHES, batched_probe

M = {m.id: m for m in (
    Mistake("drops-tail", "your last, shorter batch is missing: `zip(*[iter(it)] * n)` (and any loop that only "
            "yields full batches) drops the leftover items; yield the final partial batch when it is not empty"),
    Mistake("trailing-empty-batch", "you yielded an empty list at the end: when the input divides into full "
            "batches, there is no final batch"),
    Mistake("yields-tuples", "your batches are tuples: the contract asks for lists (`list(islice(it, n))`, not "
            "`tuple(...)` or `zip(...)`)"),
    Mistake("reuses-list", "you yielded the same list object for several batches and changed it afterwards "
            "(`buf.clear()`), so the caller's earlier batches changed too; start a new list for each batch"),
    Mistake("materialises-input", "you read the whole input before yielding anything (`list(iterable)`): that "
            "never ends on an infinite iterator and holds everything in memory; pull n items at a time "
            "(`islice(it, n)`)"),
    Mistake("pulls-ahead", "you pulled more items from the input than the batches you had yielded so far needed "
            "(looking one item ahead): to yield k full batches, pull at most k*n items"),
    Mistake("sequences-only", "your batched needs a sequence (`len()` or slicing), so it fails on a generator or "
            "an iterator; call `iter(iterable)` once and take items with `next()`/`islice`"),
    Mistake("drops-none-items", "items that are `None` went missing: you used None as an end marker (e.g. "
            "`zip_longest(..., fillvalue=None)` then dropping Nones); None is a valid item"),
    Mistake("n-not-validated", "for n < 1 your batched did not raise ValueError (with n = 0 there is no sensible "
            "batch): check `if n < 1: raise ValueError(...)`"),
)}
SOURCES = {"list": "a list", "tuple": "a tuple", "str": "a string", "range": "a range", "gen": "a generator",
           "count": "itertools.count() (infinite)", "guarded": "an endless generator that counts what you pull"}


def _items(source):
    kind = source[0]
    if kind in ("count", "guarded"):
        return itertools.count()
    if kind == "range":
        return iter(range(*source[1]))
    return iter(source[1])


def batched_ref(source, n, take):
    it, out = _items(source), []
    while take is None or len(out) < take:
        batch = list(itertools.islice(it, n))
        if not batch or len(out) >= MAX_BATCHES:
            break
        out.append(batch)
    return out


def case(source, n, take=None, note=""):
    size = "" if source[0] in ("count", "guarded", "range") else f" of {len(source[1])} items"
    label = f"{SOURCES[source[0]]}{size}{note}, n={n}" + (f", taking {take} batches" if take is not None else "")
    return Case((source, n, take), {}, label)


def _diagnose(batches, expected, source):
    flat = [x for b in expected for x in b]
    if expected and batches == expected[:-1] and len(expected[-1]) < len(expected[0]):
        return M["drops-tail"]
    if batches == expected + [[]]:
        return M["trailing-empty-batch"]
    if any(x is None for x in flat) and [x for b in batches for x in b] == [x for x in flat if x is not None]:
        return M["drops-none-items"]
    return None


def judge(cases, observations):
    for case_, obs in zip(cases, observations):
        source, n, take = case_.args
        if "error" in obs and obs["error"].get("not_implemented"):
            return error_failure(case_, obs["error"])
        if n < 1:
            if "error" not in obs:
                return incorrect(case_, M["n-not-validated"].message + ".", "n-not-validated")
            if not obs.get("value_error"):
                return incorrect(case_, f"for n < 1 you raised {obs['error']['type']}; raise ValueError "
                                        "(at the call or at the first next(), both are fine).", "n-not-validated")
            continue
        if "error" in obs:
            err = obs["error"]
            if err["type"] == "PulledTooFar" or (err["type"] == "MemoryError" and source[0] == "count"):
                m = M["materialises-input"] if obs["stage"] == "call" or obs.get("pulled_total", 0) > 10 * n \
                    else M["pulls-ahead"]
                return incorrect(case_, m.message + ".", m.id)
            if err["type"] == "TypeError" and source[0] == "gen" and any(w in err["message"] for w in (
                    "len()", "subscriptable", "has no len")):
                return incorrect(case_, M["sequences-only"].message + ".", "sequences-only")
            return error_failure(case_, err)
        value = obs["value"]
        batches = value["batches"]
        if any(isinstance(b, tuple) for b in batches):
            return incorrect(case_, M["yields-tuples"].message + ".", "yields-tuples")
        if not all(isinstance(b, list) for b in batches):
            odd = next(b for b in batches if not isinstance(b, list))
            return incorrect(case_, f"each batch must be a list; one was {describe(odd)}.")
        expected = batched_ref(source, n, take)
        if obs.get("shared") and batches != expected:
            return incorrect(case_, M["reuses-list"].message + ".", "reuses-list")
        if batches != expected:
            m = _diagnose(batches, expected, source)
            if m is not None:
                return incorrect(case_, m.message + ".", m.id)
            sizes = [len(b) for b in batches][:8]
            return incorrect(case_, f"your batches (sizes {sizes}{'...' if len(batches) > 8 else ''}) are not the "
                             "input's items in order, cut into lists of n with only the last one shorter.")
        for j, pulled in enumerate(value["pulled"]):
            if pulled > (j + 1) * n:
                return incorrect(case_, M["pulls-ahead"].message + ".", "pulls-ahead")
    return None


def _check(title, points, cases, **kw):
    return Check(title, points, cases, judge, probe=batched_probe,
                 probe_args=lambda target, cs: (target, [c.args for c in cs]), **kw)


LETTERS = list("abcdefghijklm")

batched = Exercise(
    "batched",
    skill="iterators and generators",
    hints=(
        "A generator function (one with `yield`) produces batches on demand: the caller pulls one batch, your "
        "code pulls n items from the input, and nothing else happens until the next batch is asked for.",
        "Turn the input into an iterator once (`it = iter(iterable)`), then loop: take up to n items "
        "(`itertools.islice(it, n)`), stop when that gives nothing, otherwise yield them as a list. Check n "
        "before anything else.",
        "`if n < 1: raise ValueError('n must be at least 1')`; `it = iter(iterable)`; "
        "`while batch := list(islice(it, n)): yield batch`",
    ),
    checks=(
        _check("lists of n items from a list, the last one shorter", 2, lambda: [
            case(("list", list(range(1, 8))), 3), case(("list", list(range(10))), 5, note=" (divides evenly)"),
            case(("list", LETTERS[:2]), 5), case(("list", list(range(6))), 1), case(("list", LETTERS), 4)]),
        _check("any iterable: tuple, string, range, generator, None items, empty input", 2, lambda: [
            case(("tuple", tuple(range(5))), 2), case(("str", "abcdefg"), 3), case(("range", (0, 11)), 4),
            case(("gen", list(range(100, 109))), 3), case(("list", [None, 0, None, "", None]), 2,
                                                          note=" holding None"),
            case(("list", []), 3, note=" (empty)"), case(("gen", []), 2, note=" (empty)")]),
        _check("works on an infinite iterator", 2, lambda: [
            case(("count",), 4, take=5), case(("count",), 1, take=3)],
            mem_bytes=256 << 20, timeout=5.0, timeout_mistake=M["materialises-input"]),
        _check("pulls items lazily: k full batches pull at most k*n items", 2, lambda: [
            case(("guarded", 12), 3, take=4), case(("guarded", 14), 7, take=2)],
            mem_bytes=256 << 20, timeout=5.0, timeout_mistake=M["materialises-input"]),
        _check("n < 1 raises ValueError (and n >= 1 still works)", 2, lambda: [
            case(("list", [1, 2, 3]), 0, take=1), case(("gen", [1, 2, 3]), -2, take=1),
            case(("list", list(range(5))), 2)], timeout=5.0),
    ),
)
