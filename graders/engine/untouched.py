"""Notebooks as released, and the verdict on what nobody has written in yet.

A released answer cell is nbgrader's stub (``raise NotImplementedError()``): it cannot earn a point, and every
module's tests grade its released notebook through the sandbox to prove it (``tests/banks.py``: every exercise
"not attempted", and the same check by check as the verdict built here). So a notebook whose setup and answer
cells are all exactly as released is judged without a sandbox: no sandbox parent starts, no cell runs, no
oracle is imported. ``make grade`` grades every notebook of the course, and most of a learner's are untouched
until they reach them (13 of them cost 27 s of sandboxes that could only say "not attempted").

Anything else, one character of one cell changed, is graded the usual way.
"""
from __future__ import annotations

from .live import released_submission
from .notebook import NotebookError, Submission
from .results import CheckResult, ExerciseResult, Status
from .spec import Exercise

NOT_ATTEMPTED = "not attempted yet"


class Releases:
    """The released form of each module's notebook, read once per grader (None where the source notebook is
    absent, as on a grading server that holds only the graders: nothing is then taken as untouched)."""

    def __init__(self):
        self._cache: dict[str, Submission | None] = {}

    def release(self, module_id: str) -> Submission | None:
        if module_id not in self._cache:
            try:
                self._cache[module_id] = released_submission(module_id)
            except NotebookError:
                self._cache[module_id] = None
        return self._cache[module_id]

    def stubs(self, module_id: str) -> dict[str, str]:
        """grade_id -> the answer cell as released (empty when the module's source notebook is absent)."""
        release = self.release(module_id)
        return dict(release.answers) if release is not None else {}

    def untouched(self, sub: Submission) -> bool:
        """Every setup and answer cell exactly as released (same cells, same order, same text)."""
        release = self.release(sub.module) if sub.module else None
        return release is not None and sub.setup == release.setup and sub.answers == release.answers


def not_attempted(ex: Exercise) -> ExerciseResult:
    """The verdict on an exercise whose answer is the released stub: each check not attempted, except one
    that could not run here anyway (a missing system tool), which is skipped as it would have been."""
    results = []
    for check in ex.checks:
        missing = check.requires() if check.requires is not None else None
        if missing:
            results.append(CheckResult(check.title, Status.SKIPPED, 0.0, 0.0, missing))
        else:
            results.append(CheckResult(check.title, Status.NOT_ATTEMPTED, 0.0, check.points, NOT_ATTEMPTED))
    return ExerciseResult(ex.id, tuple(results))
