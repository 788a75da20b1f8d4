"""Results: statuses roll up from checks, feedback is learner text, points add up."""
from __future__ import annotations

from graders.engine.results import CheckResult, ExerciseResult, Status


def ex(*statuses):
    return ExerciseResult("e", tuple(CheckResult(f"check {i}", s, 1.0 if s is Status.PASSED else 0.0, 1.0,
                                                 "" if s is Status.PASSED else f"msg {i}")
                                     for i, s in enumerate(statuses)))


def test_status_priority_and_points():
    assert ex(Status.PASSED, Status.PASSED).status is Status.PASSED
    assert ex(Status.NOT_ATTEMPTED, Status.NOT_ATTEMPTED).status is Status.NOT_ATTEMPTED
    assert ex(Status.PASSED, Status.INCORRECT).status is Status.INCORRECT
    assert ex(Status.INCORRECT, Status.ERROR).status is Status.ERROR
    assert ex(Status.ERROR, Status.TIMEOUT).status is Status.TIMEOUT
    assert ex(Status.TIMEOUT, Status.GRADER_ERROR).status is Status.GRADER_ERROR
    assert ex(Status.NOT_ATTEMPTED, Status.PASSED).status is Status.INCORRECT      # partly done
    assert ex(Status.NOT_ATTEMPTED, Status.INCORRECT).status is Status.INCORRECT
    partial = ex(Status.PASSED, Status.INCORRECT, Status.PASSED)
    assert (partial.points, partial.max_points) == (2.0, 3.0)


def test_feedback_lists_failed_checks_only_and_grader_errors_stay_public_errors():
    e = ex(Status.PASSED, Status.INCORRECT)
    assert e.feedback == ("check 1: msg 1",)
    assert Status.GRADER_ERROR.public == "error" and Status.NOT_ATTEMPTED.public == "not_attempted"
    assert ex(Status.NOT_ATTEMPTED).feedback[0].startswith("Not attempted")
