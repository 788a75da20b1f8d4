"""02_math graders: reference, stub, the bank of mistakes and the correct alternatives."""
from __future__ import annotations

import pytest
from banks import bank, describe, grade_entry, submission

from graders.modules import load
from graders.notebook import read_submission
from graders.release import EXERCISES
from graders.results import Status

MODULE = "02_math"
SPEC = load(MODULE)


def test_reference_solution_scores_full_marks(grader):
    result = grader.grade(submission(MODULE))
    assert result.error is None
    for ex in result.exercises:
        assert ex.status is Status.PASSED, describe(ex)
    assert result.points == result.max_points == SPEC.points


def test_untouched_exercise_notebook_scores_zero_not_attempted(grader):
    result = grader.grade(read_submission(EXERCISES / f"{MODULE}.ipynb"))
    assert result.points == 0
    assert [ex.id for ex in result.exercises] == [ex.id for ex in SPEC.exercises]
    for ex in result.exercises:
        assert ex.status is Status.NOT_ATTEMPTED, describe(ex)


@pytest.mark.parametrize("entry", bank(MODULE, "mistakes"), ids=str)
def test_mistake_loses_points_and_is_named(grader, entry):
    ex = grade_entry(grader, entry)
    assert ex.points < ex.max_points, describe(ex)
    if entry.mistake:
        assert entry.mistake in ex.mistakes, describe(ex)
    text = "\n".join(ex.feedback)
    for expected in entry.expect:
        assert expected in text, describe(ex)


@pytest.mark.parametrize("entry", bank(MODULE, "alternatives"), ids=str)
def test_correct_alternative_gets_full_marks(grader, entry):
    ex = grade_entry(grader, entry)
    assert ex.status is Status.PASSED, describe(ex)


def test_bank_covers_every_exercise():
    mistakes = {e.exercise for e in bank(MODULE, "mistakes")}
    alternatives = {e.exercise for e in bank(MODULE, "alternatives")}
    for ex in SPEC.exercises:
        assert sum(e.exercise == ex.id for e in bank(MODULE, "mistakes")) >= 2, ex.id
        assert ex.id in alternatives, ex.id
    assert mistakes <= {ex.id for ex in SPEC.exercises}
