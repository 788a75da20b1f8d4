"""Reusable checks, declared not rewritten (cf. scikit-learn's ``estimator_checks``).

Each function returns a :class:`~graders.engine.spec.Check` for a subject that declares
the behaviour: an estimator whose ``fit`` returns ``self``, a function that must
not mutate its inputs, a randomised function that must be deterministic under a
seed. Use one only where the syllabus contract asks for the behaviour. These are
property checks: they are gated (``Check.gated``), paying only once the exercise's
results are right.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from .judges import error_failure, unchanged_inputs
from .results import Status
from .sandbox import probes
from .spec import Case, Check, Failure, Mistake
from .yardstick import Yardstick


def not_mutated(cases, positions=(0,), points: float = 1, title: str = "does not modify its inputs",
                message: str = "your function modified its input in place; work on a copy") -> Check:
    return Check(title, points, cases, unchanged_inputs(positions, message=message), keep_args=True, gated=True)


def _values_equal(a, b) -> bool:
    try:
        if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
            return len(a) == len(b) and all(_values_equal(x, y) for x, y in zip(a, b))
        return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
    except (TypeError, ValueError):
        return a == b


# ------------------------------------------------------------------ determinism under a seed
GLOBAL_RNG = "global-rng"
_GLOBAL_NAMES = {"numpy": "numpy's global generator (np.random.*)", "random": "Python's `random` module",
                 "torch": "torch's global generator"}


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


def global_rng_failure(cases, observations, differ: bool) -> Failure | None:
    """The named failure of a seeded function that uses a global generator, else None.

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


def deterministic(same_seed: Case, same_seed_again: Case, other_seed: Case, points: float = 1,
                  title: str = "same seed, same result; another seed, another result") -> Check:
    """Calls 1 and 2 share a seed and must agree exactly, although the global generators are seeded
    differently before each; call 3 uses another seed and must differ."""

    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            if "error" in obs:
                return error_failure(case, obs["error"])
        a, b, c = (o["value"] for o in observations)
        failure = global_rng_failure(cases, observations, differ=not _values_equal(a, b))
        if failure is not None:
            return failure
        if not _values_equal(a, b):
            return Failure(Status.INCORRECT, f"two calls with {same_seed.label} gave different results: draw "
                           "all randomness from a generator created from `seed`.", "seed-ignored")
        if _values_equal(a, c):
            return Failure(Status.INCORRECT, f"{same_seed.label} and {other_seed.label} gave identical results: "
                           "your randomness does not depend on `seed`.", "seed-ignored")
        return None

    return under_global_seeds(Check(title, points, [same_seed, same_seed_again, other_seed], judge, gated=True))


def fit_returns_self(target: str, init_kwargs: dict, X, y=None, points: float = 1) -> Check:
    args = (X,) if y is None else (X, y)

    def judge(cases, obs):
        step = obs["steps"][0]
        if "error" in step:
            return error_failure(cases[0], step["error"])
        if not step.get("is_self"):
            return Failure(Status.INCORRECT, "`fit` must return the estimator itself (`return self`), so "
                           "that `Model().fit(X, y).predict(X)` works.", "fit-not-self")
        return None

    return Check("fit returns self", points, [Case(args, {}, "fit on training data")], judge,
                 probe=probes.method_calls, target=target,
                 probe_args=lambda t, cases: (t, (), init_kwargs, [("fit", cases[0].args, {})], ()), gated=True)


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
            return Failure(Status.INCORRECT, f"On {case.label}: your code took {ratio:.0f}x as long as a "
                           f"vectorised reference (budget {budget:.0f}x): {slow.message}.", slow.id)
        return None

    def probe_args(target, cases):
        return (target, case.args, method, init_kwargs, fit_args)

    yardstick = Yardstick(reference, tuple(case.args if ref_args is None else ref_args), budget)
    return Check(title, points, [case], judge, probe=probes.time_learner, probe_args=probe_args,
                 timeout=timeout, timeout_mistake=slow, yardstick=yardstick, gated=True)
