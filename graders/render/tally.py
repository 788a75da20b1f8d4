"""How many exercises of a notebook passed, are incorrect, failed to run, are not attempted (the
summary line of the terminal and HTML reports)."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from graders.engine.results import ExerciseResult, Status

# in this order; errors, timeouts, grader errors and skipped exercises are named only when there are any
ORDER = (Status.PASSED, Status.INCORRECT, Status.ERROR, Status.TIMEOUT, Status.GRADER_ERROR, Status.NOT_ATTEMPTED,
         Status.SKIPPED)
ALWAYS = (Status.PASSED, Status.INCORRECT, Status.NOT_ATTEMPTED)
WORDS = {Status.PASSED: ("passed", "passed"), Status.INCORRECT: ("incorrect", "incorrect"),
         Status.ERROR: ("error", "errors"), Status.TIMEOUT: ("timeout", "timeouts"),
         Status.GRADER_ERROR: ("grader error", "grader errors"),
         Status.NOT_ATTEMPTED: ("not attempted", "not attempted"), Status.SKIPPED: ("skipped", "skipped")}


def tally(exercises: Iterable[ExerciseResult]) -> list[tuple[Status, int, str]]:
    """(status, count, "3 passed") for each status to show."""
    counts = Counter(ex.status for ex in exercises)
    return [(s, counts[s], f"{counts[s]} {WORDS[s][counts[s] != 1]}") for s in ORDER
            if s in ALWAYS or counts[s]]
