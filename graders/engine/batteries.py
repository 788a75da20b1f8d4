"""Reusable checks, declared not rewritten (cf. scikit-learn's ``estimator_checks``).

Each function returns a :class:`~graders.engine.spec.Check` for a subject that declares
the behaviour: a function that must not mutate its inputs, a randomised function that
must be deterministic under a seed, code that must be about as fast as a vectorised
reference. Use one only where the syllabus contract asks for the behaviour. These are
property checks: they are gated (``Check.gated``), paying only once the exercise's
results are right.
"""
from __future__ import annotations

import dataclasses

from .judges import (  # noqa: F401 - GLOBAL_RNG and global_rng_failure are re-exported for module judges
    GLOBAL_RNG,
    agree_under_two_seeds,
    differ_under_one_seed,
    exactly_equal,
    global_rng_failure,
    seeded,
    unchanged_inputs,
    values_or_error,
)
from .results import Status
from .sandbox import probes
from .spec import Case, Check, Failure, Mistake
from .yardstick import Yardstick


def not_mutated(cases, positions=(0,), points: float = 1, title: str = "does not modify its inputs",
                message: str = "your function modified its input in place; work on a copy",
                mistake_id: str = "mutates-input") -> Check:
    """The positional arguments at ``positions`` must be bit-for-bit the same after each call."""
    return Check(title, points, cases, unchanged_inputs(positions, mistake_id, message), keep_args=True, gated=True)


def under_global_seeds(check: Check) -> Check:
    """``check`` with the global generators (random, numpy's legacy one, torch) seeded differently as each
    of its cases starts; each observation then says which of them the case changed (``obs["global_rng"]``).

    The sandbox seeds them identically before every probe, which keeps grades reproducible but would let
    a function that draws from the global state pass "same seed, same result"; here it cannot."""
    inner_probe, inner_args = check.probe, check.args_for

    def probe_args(target, cases):
        seeds = tuple(1009 + 7919 * i for i in range(len(cases)))     # distinct for every case
        return (seeds, inner_probe, *inner_args(target, cases))

    return dataclasses.replace(check, probe=probes.under_global_seeds, probe_args=probe_args)


def deterministic(*cases, points: float = 1, title: str = "same seed, same result; another seed, another result",
                  same=differ_under_one_seed, other=agree_under_two_seeds, read=values_or_error, equal=exactly_equal,
                  mistake: str = "seed-ignored", **check) -> Check:
    """Calls 1 and 2 share a seed and must agree exactly, although the global generators are seeded
    differently before each; call 3 uses another seed and must differ. A gated property check.

    ``cases``: the three cases, or one list of them or function making them (inputs generated on first
    use). The keywords after ``title`` are :func:`~graders.engine.judges.seeded`'s (the feedback of each
    half, None to skip it; how to read and compare the values; the mistake); any other keyword (a probe,
    its arguments, a timeout) is the Check's.
    """
    judge = seeded(same=same, other=other, read=read, equal=equal, mistake=mistake)
    return under_global_seeds(Check(title, points, cases[0] if len(cases) == 1 else list(cases), judge, gated=True,
                                    **check))


def speed_budget(title: str, points: float, case: Case, reference, budget: float, slow: Mistake,
                 ref_args=None, method: str | None = None, init_kwargs=None, fit_args=(),
                 timeout: float = 12.0) -> Check:
    """The learner's code must run within ``budget`` x a reference's time (``graders.engine.yardstick``).

    A ratio, not seconds, so a loaded machine slows both alike; ``slow`` names the
    mistake (e.g. Python loops) both when the ratio is over budget and on a timeout.
    ``reference`` is grader code (a module's spec side): it is timed in a separate
    process that never holds learner code, and only its time comes back.
    """

    def judge(cases, observations):
        ratio = observations["learner"] / max(observations["ref"], 1e-6)
        if ratio > budget:
            more = "more than " if observations.get("cut") else ""      # stopped once clearly over budget
            return Failure(Status.INCORRECT, f"On {case.label}: your code took {more}{ratio:.0f}x as long as a "
                           f"vectorised reference (budget {budget:.0f}x): {slow.message}.", slow.id)
        return None

    def probe_args(target, cases):
        return (target, case.args, method, init_kwargs, fit_args)

    yardstick = Yardstick(reference, tuple(case.args if ref_args is None else ref_args), budget, stop_when_over=True)
    return Check(title, points, [case], judge, probe=probes.time_learner, probe_args=probe_args,
                 timeout=timeout, timeout_mistake=slow, yardstick=yardstick, gated=True)
