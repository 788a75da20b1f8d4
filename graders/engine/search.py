"""The generated-case battery: a check whose inputs are drawn from the exercise's declared domain.

``generated(domain, judge, points, seed)`` is one gated check per exercise. Its cases come from
:func:`graders.engine.domains.draw_cases` once, in the grading process; they run in the sandbox as ordinary
cases and the exercise's own judge (usually :func:`~graders.engine.judges.returns`: the oracle, the tolerance
and the known mistakes) compares them here. When one fails, the runner hands the check's :class:`Search` a
way to probe the learner's code again: it shrinks the failing input, a few probe rounds of smaller
candidates at a time, and the feedback is the judge's on the smallest input that still fails: the input in
words, what was wrong, the named mistake if a known variant reproduces it there, never an expected value.

Why gated: the battery is a search for edge cases of a contract the hand-picked checks already grade. Paying
for it only once they pass keeps "no points without the work" (an answer returning zeros finds nothing to
fail on an input it never got right), and its points are moved from the exercise's existing checks, so the
exercise's total does not change. An answer whose core is right but breaks on the contract's edges loses
exactly the battery's points.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from .case_cache import cached_cases
from .domains import Domain
from .results import Status
from .shrinking import measure, smaller
from .spec import Case, Check, Failure

ROUNDS = 4              # probe rounds of shrinking at most
CANDIDATES = 24         # candidates per round at most


@dataclass(frozen=True, eq=False)
class Search:
    """Shrinks a failing generated case by re-probing the learner's code (see :meth:`refine`)."""

    domain: Domain
    seed: int = 0                 # what draws the cases (engine/domains.py: cached_cases)
    examples: int | None = None
    rounds: int = ROUNDS

    def cases(self) -> list[Case]:
        return cached_cases(self.domain, self.seed, self.examples)

    def refine(self, judge, cases: Sequence[Case], observations, failure: Failure,
               probe: Callable[[list[Case]], object]) -> Failure:
        """The judge's failure on the smallest failing input found from the first failing case.

        ``probe(cases)`` runs the learner's code on new cases and returns their observations (or None when
        the sandbox did not answer cleanly; shrinking then stops and the failure found so far stands)."""
        found = self.shrink(judge, cases, observations, probe)
        if found is None:
            return failure
        _, smallest = found
        return Failure(smallest.status, f"{smallest.message} (the smallest failing input found among "
                       f"{len(cases)} generated from the contract)", smallest.mistake)

    def shrink(self, judge, cases: Sequence[Case], observations, probe) -> tuple[Case, Failure] | None:
        """(the smallest failing case found, the judge's failure there), or None when no case fails."""
        start = next((i for i, (c, o) in enumerate(zip(cases, observations)) if judge([c], [o]) is not None), None)
        if start is None:
            return None
        best, best_failure = cases[start], judge([cases[start]], [observations[start]])
        for _ in range(self.rounds):
            candidates = sorted(smaller(self.domain, best), key=measure)[:CANDIDATES]
            if not candidates:
                break
            seen = probe(candidates)
            if seen is None:
                break
            failing = [(measure(c), i, c, judge([c], [o])) for i, (c, o) in enumerate(zip(candidates, seen))]
            # the same failure, smaller: same status and the same named mistake (a smaller input on which
            # another known slip also fits would name the wrong one)
            failing = [f for f in failing if f[3] is not None and f[3].status is best_failure.status
                       and f[3].mistake == best_failure.mistake]
            if not failing:
                break
            _, _, best, best_failure = min(failing, key=lambda f: (f[0], f[1]))
        return best, best_failure


def generated(domain: Domain, judge, points: float, seed: int, examples: int | None = None,
              title: str | None = None, **check) -> Check:
    """One gated check of ``examples`` (default ``domain.examples``) cases drawn from ``domain`` with
    ``seed``, judged by ``judge`` (the exercise's own ``returns`` judge: same oracle, tolerance and
    mistakes). Any other keyword (a probe, its arguments, a target, a timeout) is the Check's."""
    count = examples or domain.examples
    title = title or "holds on inputs generated from its contract (shapes, scales, edge values)"
    search = Search(domain, seed, count)
    return Check(title, points, search.cases, judge, gated=True, search=search, **check)


def shrinkable(status: Status) -> bool:
    """Statuses a search can shrink: a wrong value or an error raised by the learner's code."""
    return status in (Status.INCORRECT, Status.ERROR)


__all__ = ["Search", "generated"]
