"""The generated-case battery: a check whose inputs are drawn from the exercise's declared domain.

``generated(domain, judge, points, seed)`` is one gated check per exercise. Its cases come from
:func:`graders.engine.domains.draw_cases` once, in the grading process; they run in the sandbox as ordinary
cases and the exercise's own judge (usually :func:`~graders.engine.judges.returns`: the oracle, the tolerance
and the known mistakes) compares them here. When one fails, the runner hands the check's :class:`Search` a
way to probe the learner's code again: hypothesis' shrinker (:mod:`graders.engine.shrinking`) makes the
failing input smaller, one probe per new input it proposes, and the feedback is the judge's on the smallest
input that still fails the same way, confirmed in a fresh child of the sandbox: the input in words, what
was wrong, the named mistake if a known variant reproduces it there, never an expected value.

Why gated: the battery is a search for edge cases of a contract the hand-picked checks already grade. Paying
for it only once they pass keeps "no points without the work" (an answer returning zeros finds nothing to
fail on an input it never got right), and its points are moved from the exercise's existing checks, so the
exercise's total does not change. An answer whose core is right but breaks on the contract's edges loses
exactly the battery's points.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .case_cache import cached_cases
from .domains import Domain
from .kept_values import computed_only
from .results import Status
from .shrinking import CHOICES, PROBES, shrink
from .spec import Case, Check, Failure

# What shrinking may spend is counted (``probes``, ``choices``: shrinking.py), so the smallest failing input does
# not depend on the machine's speed or load. This is only a backstop for slow learner code: CPU seconds of the
# grading thread and of the learner's probes together, or a third of the wall time (code that waits), whichever
# is more (:func:`backstop_clock`). An answer that reaches it gets the smallest failure found by then; the
# banks' wrong answers, at the reference's speed, stay under a third of it (checks that probe or draw costly
# inputs lower their own counts: ``generated(shrink_probes=, shrink_choices=)``).
SHRINK_SECONDS = 3.0
WALL_SHARE = 3


@dataclass(frozen=True, eq=False)
class Search:
    """Shrinks a failing generated case by re-probing the learner's code (see :meth:`refine`)."""

    domain: Domain
    seed: int = 0                 # what draws the cases (engine/domains.py: cached_cases)
    examples: int | None = None
    probes: int = PROBES          # new inputs probed while shrinking, at most
    choices: int = CHOICES        # hypothesis choices drawn while shrinking, at most (costly inputs: fewer)

    def cases(self) -> list[Case]:
        return cached_cases(self.domain, self.seed, self.examples)

    def refine(self, judge, cases: Sequence[Case], observations, failure: Failure,
               probe: Callable[[list[Case]], object], clock: Callable[[], float] = time.monotonic) -> Failure:
        """The judge's failure on the smallest failing input found from the first failing case.

        ``probe(cases, fresh=False)`` runs the learner's code on new cases and returns their observations (or
        None when the sandbox did not answer cleanly; shrinking then stops and the failure found so far
        stands). The shrinker's inputs may share one child of the sandbox; ``fresh=True`` asks for a new one,
        where the smallest failure is confirmed before it is reported (what an earlier input left behind in a
        shared child must not be what fails). ``clock`` is what :data:`SHRINK_SECONDS` is measured on."""
        found = self.shrink(judge, cases, observations, probe, clock)
        if found is None:
            return failure
        _, smallest = found
        return Failure(smallest.status, f"{smallest.message} (the smallest failing input found among "
                       f"{len(cases)} generated from the contract)", smallest.mistake)

    def shrink(self, judge, cases: Sequence[Case], observations, probe,
               clock: Callable[[], float] = time.monotonic) -> tuple[Case, Failure] | None:
        """(the smallest failing case found, the judge's failure there), or None when no case fails."""
        start = next((i for i, (c, o) in enumerate(zip(cases, observations)) if judge([c], [o]) is not None), None)
        if start is None:
            return None
        first, first_failure = cases[start], judge([cases[start]], [observations[start]])

        def same_failure(candidate: Case, fresh: bool = False) -> Failure | None | bool:
            """The judge's failure when it is the first one again (same status, same named mistake: a smaller
            input on which another known slip also fits would name the wrong one), False when it is not,
            None when the sandbox did not answer."""
            seen = probe([candidate], fresh=fresh)
            if seen is None:
                return None
            failure = judge([candidate], seen)
            same = (failure is not None and failure.status is first_failure.status
                    and failure.mistake == first_failure.mistake)
            return failure if same else False

        def fails(candidate: Case) -> bool | None:
            verdict = same_failure(candidate)
            return None if verdict is None else verdict is not False

        # the oracles' outputs on the inputs it proposes are not kept (engine/kept_values.py)
        with computed_only():
            smallest = shrink(self.domain, first, fails, probes=self.probes, seconds=SHRINK_SECONDS,
                              choices=self.choices, clock=clock)
            if smallest is None or smallest is first:
                return first, first_failure
            confirmed = same_failure(smallest, fresh=True)
        return (smallest, confirmed) if confirmed else (first, first_failure)


def backstop_clock(learner_cpu: Callable[[], float]) -> Callable[[], float]:
    """Seconds since its first reading: CPU of this thread plus ``learner_cpu()`` (the learner's probes, in the
    sandbox), or the wall time over :data:`WALL_SHARE`, whichever is more. Waiting (for the sandbox, for the
    interpreter lock while another exercise is graded, for a busy machine) counts only at a third."""
    first: tuple[float, float] | None = None

    def clock() -> float:
        nonlocal first
        cpu, wall = time.thread_time() + learner_cpu(), time.monotonic()
        first = first or (cpu, wall)
        return max(cpu - first[0], (wall - first[1]) / WALL_SHARE)
    return clock


def generated(domain: Domain, judge, points: float, seed: int, examples: int | None = None,
              title: str | None = None, shrink_probes: int = PROBES, shrink_choices: int = CHOICES,
              **check) -> Check:
    """One gated check of ``examples`` (default ``domain.examples``) cases drawn from ``domain`` with
    ``seed``, judged by ``judge`` (the exercise's own ``returns`` judge: same oracle, tolerance and
    mistakes). ``shrink_probes`` and ``shrink_choices`` bound the search for a smaller failing input (lower them
    where each probe or each drawn input is costly). Any other keyword (a probe, its arguments, a target, a
    timeout) is the Check's."""
    count = examples or domain.examples
    title = title or "holds on inputs generated from its contract (shapes, scales, edge values)"
    search = Search(domain, seed, count, shrink_probes, shrink_choices)
    return Check(title, points, search.cases, judge, gated=True, search=search, **check)


def shrinkable(status: Status) -> bool:
    """Statuses a search can shrink: a wrong value or an error raised by the learner's code."""
    return status in (Status.INCORRECT, Status.ERROR)


__all__ = ["Search", "backstop_clock", "generated"]
