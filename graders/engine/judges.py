"""Judges: turn a check's observations into a verdict, in the grading process.

``returns`` is the workhorse: each case's value is compared with the oracle, and
when it differs the known mistakes are tried in order, so the feedback names the
slip ("you normalised over the wrong axis") instead of a bare mismatch.
"""
from __future__ import annotations

import weakref
from typing import Callable, Sequence

import numpy as np

from .compare import close, describe
from .results import Status
from .spec import Case, Failure, Mistake


def error_failure(case: Case | None, error: dict) -> Failure:
    """The learner's exception as feedback: type, message, and where in *their* cell."""
    if error.get("not_implemented"):
        return Failure(Status.NOT_ATTEMPTED, "not attempted yet (still raises NotImplementedError)")
    if error.get("type") == "BlockedCall":
        return blocked_failure((error.get("message", "").split(" ")[0],))
    where = f" ({'; '.join(error['trace'])})" if error.get("trace") else ""
    on = f"On {case.label}: " if case is not None and case.label else ""
    kind = error.get("type", "Exception")
    if kind in ("SystemExit", "KeyboardInterrupt"):
        hint = " Answers must return a value, not stop the program."
    elif kind == "MemoryError":
        hint = " Your code needed more memory than the grader allows."
    else:
        hint = ""
    message = error.get("message", "")
    return Failure(Status.ERROR, f"{on}your code raised {kind}" + (f": {message}" if message else "") + where + hint)


def incorrect(case: Case | None, message: str, mistake: str | None = None) -> Failure:
    """A wrong answer, prefixed with the input it was seen on ("On <label>: ...")."""
    on = f"On {case.label}: " if case is not None and case.label else ""
    return Failure(Status.INCORRECT, on + message, mistake)


def blocked_failure(paths: Sequence[str]) -> Failure:
    names = ", ".join(f"`{p}`" for p in paths)
    return Failure(Status.INCORRECT, f"implement it yourself: your code calls {names}, which is what this "
                                     "exercise asks you to write.", mistake="blocked-call")


def matches_mistake(mistake: Mistake, case: Case, obs: dict, expected, compare) -> bool:
    try:
        if mistake.detect is not None and mistake.detect(case, obs, expected):
            return True
        if mistake.variant is not None and "value" in obs:
            with np.errstate(all="ignore"):
                wrong = mistake.variant(*case.args, **case.kwargs)
            return compare(obs["value"], wrong) is None and compare(wrong, expected) is not None
    except Exception:  # noqa: BLE001 - a variant that cannot run on this case does not match
        return False
    return False


def once_per_case(oracle: Callable[[Case], object]) -> Callable[[Case], object]:
    """``oracle(case)``, computed once per case and kept while the case lives: a check's cases live as long as
    the check, so a grader that grades many notebooks (a class, a watch session) computes each expected value
    once. Only for what depends on the case alone, never on an answer."""
    # keyed by the case itself (cases hash by identity) and dropped with it: an id() key could be
    # reused by a later case and hand it a stale expected value
    cache: weakref.WeakKeyDictionary[Case, object] = weakref.WeakKeyDictionary()

    def expected_for(case: Case):
        if case not in cache:
            with np.errstate(all="ignore"):
                cache[case] = oracle(case)
        return cache[case]

    return expected_for


def returns(expect: Callable[..., object], compare=None, mistakes: Sequence[Mistake] = (),
            expect_text: str = "", check_errors_for_mistakes: bool = True):
    """Each case must return ``expect(*args, **kwargs)`` (an oracle run here, never in the sandbox)."""
    compare = compare or close()
    expected_for = once_per_case(lambda case: expect(*case.args, **case.kwargs))

    def judge(cases: Sequence[Case], observations) -> Failure | None:
        for case, obs in zip(cases, observations):
            if "error" in obs:
                if check_errors_for_mistakes and not obs["error"].get("not_implemented"):
                    for m in mistakes:
                        if m.detect is not None and matches_mistake(m, case, obs, None, compare):
                            return incorrect(case, m.message, m.id)
                return error_failure(case, obs["error"])
            expected = expected_for(case)
            problem = compare(obs["value"], expected)
            if problem is None:
                continue
            for m in mistakes:
                if matches_mistake(m, case, obs, expected, compare):
                    return incorrect(case, m.message, m.id)
            wanted = f"expected {expect_text}; " if expect_text else ""
            return incorrect(case, f"{wanted}{problem}.")
        return None

    # what the judge compares, for the meta-tests that prove each known mistake can fire
    judge.expect, judge.compare, judge.mistakes = expect, compare, tuple(mistakes)
    return judge


def unchanged_inputs(positions: Sequence[int] = (0,), mistake_id: str = "mutates-input",
                     message: str = "your function modified its input array in place; work on a copy"):
    """The listed positional arguments must be bit-for-bit the same after the call."""

    def judge(cases: Sequence[Case], observations) -> Failure | None:
        for case, obs in zip(cases, observations):
            if "error" in obs:
                return error_failure(case, obs["error"])
            after = obs.get("args_after", [])
            for pos in positions:
                before = np.asarray(case.args[pos])
                got = after[pos] if pos < len(after) else None
                if not isinstance(got, np.ndarray) or got.dtype != before.dtype or got.shape != before.shape \
                        or got.tobytes() != before.tobytes():
                    return incorrect(case, f"{message}.", mistake_id)
        return None

    return judge


def all_pass(*judges):
    """Run several judges on the same observations; the first failure wins."""

    def judge(cases, observations):
        for j in judges:
            failure = j(cases, observations)
            if failure is not None:
                return failure
        return None

    return judge


def first_error(cases: Sequence[Case], observations) -> Failure | None:
    for case, obs in zip(cases, observations):
        if isinstance(obs, dict) and "error" in obs:
            return error_failure(case, obs["error"])
    return None


def values_or_error(cases: Sequence[Case], observations):
    """Each case's value, or the failure of the first case whose call raised."""
    return first_error(cases, observations) or [obs["value"] for obs in observations]


def exactly_equal(a, b) -> bool:
    """Bit-for-bit the same result: arrays equal (NaN equal to NaN), tuples and lists item by item."""
    try:
        if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
            return len(a) == len(b) and all(exactly_equal(x, y) for x, y in zip(a, b))
        return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
    except (TypeError, ValueError):
        return a == b


GLOBAL_RNG = "global-rng"
_GLOBAL_NAMES = {"numpy": "numpy's global generator (np.random.*)", "random": "Python's `random` module",
                 "torch": "torch's global generator"}


def global_rng_failure(cases, observations, differ: bool) -> Failure | None:
    """The named failure of a seeded function that uses a global generator, else None (observations of a
    check wrapped in ``batteries.under_global_seeds`` say which generators each case changed).

    numpy's and Python's global generators are never the contract's `seed` (it is fed to
    ``np.random.default_rng``), so touching them fails even when the results agree (``np.random.seed(seed)``
    resets the caller's global state). torch's global generator seeded with ``torch.manual_seed(seed)`` is
    the documented way for torch code: it is named only when the same-seed results ``differ``."""
    for case, obs in zip(cases, observations):
        used = [g for g in obs.get("global_rng", ()) if g in ("numpy", "random") or (differ and g == "torch")]
        if used:
            names = " and ".join(_GLOBAL_NAMES.get(g, g) for g in used)
            on = f"On {case.label}: " if case.label else ""
            return Failure(Status.INCORRECT, f"{on}your code draws from the global random state ({names}) instead "
                           "of a generator seeded with `seed`: create `rng = np.random.default_rng(seed)` once and "
                           "draw every random number from `rng`.", GLOBAL_RNG)
    return None


def differ_under_one_seed(cases) -> str:
    """Default feedback of :func:`seeded`: the shared seed gave two results."""
    return (f"two calls with {cases[0].label} gave different results: draw all randomness from a generator "
            "created from `seed`.")


def agree_under_two_seeds(cases) -> str:
    """Default feedback of :func:`seeded`: another seed gave the same result."""
    return f"{cases[0].label} and {cases[2].label} gave identical results: your randomness does not depend on `seed`."


def seeded(same=differ_under_one_seed, other=agree_under_two_seeds, read=values_or_error, equal=exactly_equal,
           mistake: str = "seed-ignored", runs: tuple[int, ...] = (0, 1, 2), global_rng=True):
    """The seed judge: runs ``runs[0]`` and ``runs[1]`` share a seed and must agree; ``runs[2]`` (if given)
    has another seed and must differ.

    ``read(cases, observations)`` gives one value per case to compare, or a Failure that ends the check
    first (an error, a value of the wrong kind); ``equal`` compares two values. ``same`` and ``other`` are
    the feedback when the shared seed gave different results / the other seed the same one: a string, or
    a function of the cases (to name their labels); None skips that half. Before comparing, a case that
    used a global generator is named (:func:`global_rng_failure`); ``global_rng`` False skips that, a
    function of the values says whether the same-seed results differ when that is more than one pair.
    """

    def judge(cases, observations):
        values = read(cases, observations)
        if isinstance(values, Failure):
            return values
        first = values[runs[0]]
        if global_rng:
            differ = global_rng(values) if callable(global_rng) else not equal(first, values[runs[1]])
            failure = global_rng_failure(cases, observations, differ)
            if failure is not None:
                return failure
        if same is not None and not equal(first, values[runs[1]]):
            return Failure(Status.INCORRECT, same(cases) if callable(same) else same, mistake)
        if other is not None and equal(first, values[runs[2]]):
            return Failure(Status.INCORRECT, other(cases) if callable(other) else other, mistake)
        return None

    return judge


__all__ = ["GLOBAL_RNG", "all_pass", "blocked_failure", "describe", "error_failure", "exactly_equal", "first_error",
           "global_rng_failure", "incorrect", "matches_mistake", "returns", "seeded", "unchanged_inputs",
           "values_or_error"]
