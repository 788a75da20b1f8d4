"""Grading results: plain frozen dataclasses. Rendering lives in ``graders.render``."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum


def total(parts, field: str = "points") -> float:
    """The points (or ``field="max_points"``) of checks, exercises or notebooks, added up: the one
    roll-up every level uses, rounded so that float noise (0.1 + 0.2) never shows in a score."""
    return round(sum(getattr(p, field) for p in parts), 6)


class Status(str, Enum):
    PASSED = "passed"
    INCORRECT = "incorrect"
    NOT_ATTEMPTED = "not_attempted"
    ERROR = "error"                  # the learner's code raised, or a cell is missing/broken
    TIMEOUT = "timeout"
    GRADER_ERROR = "grader_error"    # our bug: loud, never blamed on the learner
    NOT_SCORED = "not_scored"        # a gated property check that passed while the results are still wrong
    SKIPPED = "skipped"              # a check whose requirement (e.g. Java) is missing here: 0 of 0 points

    @property
    def public(self) -> str:
        """The status in the CLI's JSON contract (grader errors report as "error")."""
        return "error" if self is Status.GRADER_ERROR else self.value


# When the checks of one exercise end differently, the exercise reports the most
# telling status: a grader bug first (loudly), then a hang, a crash, a wrong value.
_PRIORITY = [Status.GRADER_ERROR, Status.TIMEOUT, Status.ERROR, Status.INCORRECT, Status.NOT_ATTEMPTED]


@dataclass(frozen=True)
class CheckResult:
    title: str                        # learner-facing name of the check
    status: Status
    points: float
    max_points: float
    message: str = ""                 # feedback for the learner; empty when passed
    mistake: str | None = None        # id of a recognised known mistake


@dataclass(frozen=True)
class ExerciseResult:
    id: str
    checks: tuple[CheckResult, ...]
    notes: tuple[str, ...] = ()       # exercise-level remarks (e.g. the cell raised at top level)

    @property
    def points(self) -> float:
        return total(self.checks)

    @property
    def max_points(self) -> float:
        return total(self.checks, "max_points")

    @property
    def status(self) -> Status:
        statuses = {c.status for c in self.checks}
        if statuses == {Status.SKIPPED}:
            return Status.SKIPPED
        statuses.discard(Status.SKIPPED)     # skipped checks count neither for nor against the learner
        if statuses <= {Status.PASSED}:
            return Status.PASSED
        scored = statuses - {Status.NOT_SCORED}     # a gated check never decides the status on its own
        if scored == {Status.NOT_ATTEMPTED}:
            return Status.NOT_ATTEMPTED
        if scored == {Status.NOT_ATTEMPTED, Status.PASSED}:
            return Status.INCORRECT          # partly done: some checks pass, others are still stubs
        for status in _PRIORITY:
            if status in statuses:
                return status
        return Status.INCORRECT

    @property
    def mistakes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.mistake for c in self.checks if c.mistake))

    @property
    def feedback(self) -> tuple[str, ...]:
        """Learner-facing lines: notes, then one line per distinct slip among the checks that did not pass.

        Checks that failed the same way on different inputs (the same mistake, the same exception) give
        one line: the first check's message, naming every check it showed up in. Each check's own message
        stays in ``checks`` and in :attr:`details` (the JSON and JUnit reports carry them all)."""
        if self.status is Status.NOT_ATTEMPTED:
            return (NOT_ATTEMPTED_LINE,)
        if self.status is Status.SKIPPED:
            return tuple(dict.fromkeys(c.message for c in self.checks if c.message))
        groups: dict[tuple, list[CheckResult]] = {}
        for c in self.checks:
            if c.status is not Status.PASSED and c.message:
                groups.setdefault(_slip_key(c), []).append(c)
        lines = list(self.notes)
        for same in groups.values():
            titles = list(dict.fromkeys(c.title for c in same))
            if len(titles) == 1:
                lines.append(f"{titles[0]}: {same[0].message}")
            else:                                      # titles may hold commas, hence "; " between them
                lines.append(f"{same[0].message} (seen in {len(titles)} checks: {'; '.join(titles)})")
        return tuple(dict.fromkeys(lines))

    @property
    def details(self) -> tuple[str, ...]:
        """Notes, then every failed check's own line, repeats included (for reports that keep everything)."""
        if self.status is Status.NOT_ATTEMPTED:
            return (NOT_ATTEMPTED_LINE,)
        return (*self.notes, *(f"{c.title}: {c.message}" for c in self.checks
                               if c.status is not Status.PASSED and c.message))


NOT_ATTEMPTED_LINE = "Not attempted yet: the function still raises NotImplementedError."
# Judges prefix a message with the input it was seen on ("On <input>: <what went wrong>",
# ``judges.incorrect``); the same slip on two inputs differs only in that prefix.
_ON_INPUT = re.compile(r"^On [^\n]*?: ")


def _slip_key(check: CheckResult) -> tuple:
    """What makes two failed checks "the same slip": the same recognised mistake (if any), the same status
    and the same message once the input it was seen on is set aside. Two messages of one mistake id
    that say different things (a rate, a shape) both stay."""
    return check.mistake, check.status, _ON_INPUT.sub("", check.message, count=1)


@dataclass(frozen=True)
class NotebookResult:
    path: str
    module: str | None
    exercises: tuple[ExerciseResult, ...] = ()
    error: str | None = None          # the notebook could not be graded at all
    version: str | None = None
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def points(self) -> float:
        return total(self.exercises)

    @property
    def max_points(self) -> float:
        return total(self.exercises, "max_points")


@dataclass(frozen=True)
class GradeReport:
    notebooks: tuple[NotebookResult, ...]

    @property
    def points(self) -> float:
        return total(self.notebooks)

    @property
    def max_points(self) -> float:
        return total(self.notebooks, "max_points")
