"""Shared pieces of 09_nlp's checks: comparators for token data, scenario runs of classes, variants.

Everything here runs in the grading process. Comparators follow the engine's convention:
``compare(got, expected) -> None | str``, the string describing the difference (lengths,
positions, kinds) without ever quoting an expected value.
"""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric, close, describe
from graders.engine.judges import blocked_failure
from graders.engine.spec import Case, Mistake

MODULE_ID = "09_nlp"


# ------------------------------------------------------------------ normalising learner values
def as_int_list(value):
    """A list/tuple/1-d integer array as a list of Python ints, else None."""
    if isinstance(value, np.ndarray):
        if value.ndim == 1 and value.size == 0:
            return []                       # np.array([]) is float64: an empty result of any dtype is fine
        if value.ndim != 1 or value.dtype.kind not in "iu":
            return None
        return [int(v) for v in value.tolist()]
    if not isinstance(value, (list, tuple)):
        return None
    out = []
    for v in value:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            return None
        out.append(int(v))
    return out


def as_pairs(value):
    """Merges as a list of (int, int) tuples (tuples, lists or a (k, 2) int array), else None."""
    if isinstance(value, np.ndarray):
        if value.size == 0:
            return []
        if value.ndim != 2 or value.shape[1] != 2 or value.dtype.kind not in "iu":
            return None
        return [tuple(int(v) for v in row) for row in value.tolist()]
    if not isinstance(value, (list, tuple)):
        return None
    out = []
    for pair in value:
        ints = as_int_list(pair) if isinstance(pair, (list, tuple, np.ndarray)) else None
        if ints is None or len(ints) != 2:
            return None
        out.append(tuple(ints))
    return out


def first_difference(got: list, expected: list) -> int:
    for i, (a, b) in enumerate(zip(got, expected)):
        if a != b:
            return i
    return min(len(got), len(expected))


# ------------------------------------------------------------------ comparators
def int_sequence(what: str = "ids"):
    """A list of token ids, exactly."""

    def compare(got, expected):
        ids = as_int_list(got)
        if ids is None:
            return f"expected a list of int {what}, got {describe(got)}"
        if ids == list(expected):
            return None
        i = first_difference(ids, list(expected))
        if len(ids) != len(expected):
            return f"your list has {len(ids)} {what} instead of {len(expected)}; the first difference is at " \
                   f"position {i}"
        return f"{sum(a != b for a, b in zip(ids, expected))} of the {len(ids)} {what} differ, the first at " \
               f"position {i}"

    return compare


def merges_compare(got, expected):
    if isinstance(got, dict):
        return "merges must be a list of pairs in merge order (merge i creates id 256 + i), not a dict"
    pairs = as_pairs(got)
    if pairs is None:
        return f"expected a list of (a, b) pairs of ints, got {describe(got)}"
    if pairs == list(expected):
        return None
    i = first_difference(pairs, list(expected))
    if len(pairs) != len(expected) and i == min(len(pairs), len(expected)):
        return f"your first {i} merges are right, but you returned {len(pairs)} merges instead of {len(expected)}"
    return f"merge number {i} (the one creating id {256 + i}) differs; the merges before it are right"


def text_compare(got, expected):
    if not isinstance(got, str):
        return f"expected a str, got {describe(got)}"
    if got == expected:
        return None
    i = first_difference(list(got), list(expected))
    if "\ufffd" in got and "\ufffd" not in expected:
        return f"your text contains U+FFFD replacement characters (first difference at character {i})"
    return f"your text differs from the original at character {i} (your length {len(got)}, expected " \
           f"{len(expected)})"


def str_list(what: str = "tokens"):
    def compare(got, expected):
        if not isinstance(got, (list, tuple)) or not all(isinstance(t, str) for t in got):
            return f"expected a list of str {what}, got {describe(got)}"
        got = list(got)
        if got == list(expected):
            return None
        i = first_difference(got, list(expected))
        if len(got) != len(expected):
            return f"your list has {len(got)} {what} instead of {len(expected)}; the first difference is at " \
                   f"position {i}"
        return f"{sum(a != b for a, b in zip(got, expected))} of the {len(got)} {what} differ, the first at " \
               f"position {i}"

    return compare


def scalar(rtol=None, atol=None):
    """A single finite float (Python, numpy scalar or 0-d array)."""
    inner = close(rtol, atol)

    def compare(got, expected):
        if isinstance(got, (bool, np.bool_)):
            return f"expected a number, got {describe(got)}"
        return inner(got, expected)

    return compare


# ------------------------------------------------------------------ scenarios: a class driven step by step
class Steps:
    """What a scenario records: the step names (for messages) and their values, in order."""

    def __init__(self, names, values):
        self.names, self.values = list(names), list(values)

    def __repr__(self):
        return f"Steps({self.names})"


def scenario(init_args=(), init_kwargs=None, steps=(), label="", tags=()) -> Case:
    """A case for :func:`helpers.scenario_probe`: build the class, run the steps, record some values.

    ``steps`` holds ``(name, method, args, kwargs, record)``: ``method`` is a method name or
    ``"@attr"`` for an attribute; ``name`` is how feedback calls the step ("transform(new docs)").
    """
    plain = tuple((method, tuple(args), dict(kwargs), bool(record), name)
                  for name, method, args, kwargs, record in steps)
    return Case((tuple(init_args), dict(init_kwargs or {}), plain), {}, label, frozenset(tags))


def run_steps(obj, steps, convert=lambda v: v) -> Steps:
    """Run a scenario's steps on a reference object (grading process): the recorded values, named."""
    names, values = [], []
    for method, args, kwargs, record, name in steps:
        value = getattr(obj, method[1:]) if method.startswith("@") else getattr(obj, method)(*args, **kwargs)
        if record:
            names.append(name)
            values.append(convert(value))
    return Steps(names, values)


def steps_compare(item_compares):
    """Compare recorded step values; ``item_compares(name)`` picks the comparator for a step."""

    def compare(got, expected: Steps):
        got = got.values if isinstance(got, Steps) else got
        if not isinstance(got, list) or len(got) != len(expected.values):
            return f"got {describe(got)}"        # the probe always returns one value per recorded step
        for name, g, e in zip(expected.names, got, expected.values):
            problem = item_compares(name)(g, e)
            if problem:
                return f"in `{name}`: {problem}"
        return None

    return compare


# ------------------------------------------------------------------ recognising mistakes
def any_variant(*variants, compare):
    """A Mistake detector: the learner's value equals one of several wrong implementations."""

    def detect(case, obs, expected):
        if "value" not in obs or expected is None:
            return False
        for variant in variants:
            try:
                with np.errstate(all="ignore"):
                    wrong = variant(*case.args, **case.kwargs)
            except Exception:  # noqa: BLE001 - a variant that cannot run on this case does not match
                continue
            if compare(wrong, expected) is not None and compare(obs["value"], wrong) is None:
                return True
        return False

    return detect


def raised(*types, tag: str | None = None, text: str | None = None, stages: tuple[str, ...] = ()):
    """A Mistake detector: the learner's code raised one of ``types`` (on a case tagged ``tag``, in a step
    named in ``stages``)."""

    def detect(case, obs, expected):
        err = obs.get("error") if isinstance(obs, dict) else None
        if not err or err.get("not_implemented"):
            return False
        if tag is not None and tag not in case.tags:
            return False
        if stages and err.get("stage") not in stages:
            return False
        if types and err.get("type") not in types:
            return False
        return text is None or text in err.get("message", "")

    return detect


def not_finite(case, obs, expected) -> bool:
    """The learner returned NaN or inf somewhere (scalars, tuples, arrays, scenario values)."""
    def bad(value) -> bool:
        if isinstance(value, (list, tuple)):
            return any(bad(v) for v in value)
        arr = as_numeric(value)
        return arr is not None and arr.dtype.kind in "fc" and not np.isfinite(arr).all()

    return "value" in obs and bad(obs["value"])


def with_libraries(libraries: tuple[str, ...]):
    """``probe_args`` for :func:`helpers.call_each`: each case's (args, kwargs), and the libraries to report."""
    return lambda target, cases: (target, [(c.args, c.kwargs) for c in cases], libraries)


def uses_library(judge, libraries: tuple[str, ...]):
    """Wrap a judge: an answer whose function reaches one of ``libraries`` (reported by the probes of
    ``helpers``, for libraries whose compiled classes the engine's tripwires cannot wrap) is blocked."""

    def wrapped(cases, observations):
        for obs in observations if isinstance(observations, list) else []:
            used = obs.get("uses") if isinstance(obs, dict) else None
            if used:
                return blocked_failure(tuple(used))
        return judge(cases, observations)

    return wrapped


def mistake(id_: str, message: str, *variants, compare=None, detect=None) -> Mistake:
    """A Mistake recognised by one or more variants (compared with ``compare``) or by ``detect``."""
    if variants and detect is None:
        return Mistake(id_, message, detect=any_variant(*variants, compare=compare))
    return Mistake(id_, message, detect=detect)

