"""Results: statuses roll up from checks, feedback is learner text, points add up."""
from __future__ import annotations

from types import SimpleNamespace

from graders.engine.results import CheckResult, ExerciseResult, Status, total


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


def failed(title, message, mistake=None, status=Status.INCORRECT):
    return CheckResult(title, status, 0.0, 1.0, message, mistake)


def test_a_mistake_seen_by_several_checks_is_one_line_naming_them():
    e = ExerciseResult("gd", (failed("example", "On a: same array", "aliasing"),
                              CheckResult("shape", Status.PASSED, 1.0, 1.0),
                              failed("momentum, heavy ball", "On b: same array", "aliasing"),
                              failed("plain", "On c: wrong step size", "lr"),
                              failed("decay", "On d: lr=0.2 but you used 0.5", "lr")), notes=("cell raised",))
    # one line for the repeated slip; the same mistake id saying something else keeps its own line
    assert e.feedback == ("cell raised", "On a: same array (seen in 2 checks: example; momentum, heavy ball)",
                          "plain: On c: wrong step size", "decay: On d: lr=0.2 but you used 0.5")
    # every check keeps its own line for the reports that carry everything (JUnit)
    assert e.details == ("cell raised", "example: On a: same array", "momentum, heavy ball: On b: same array",
                         "plain: On c: wrong step size", "decay: On d: lr=0.2 but you used 0.5")


def test_the_same_unrecognised_message_on_other_inputs_is_grouped_and_different_ones_are_not():
    crash = "your code raised ZeroDivisionError: division by zero (line 2)"
    e = ExerciseResult("pca", (failed("a", f"On four points: {crash}", status=Status.ERROR),
                               failed("b", f"On X = a (100, 5) array, k=2: {crash}", status=Status.ERROR),
                               failed("c", "On X: your code raised ValueError: bad shape", status=Status.ERROR),
                               failed("d", f"On four points: {crash}")))          # same text, other status
    assert e.feedback == (f"On four points: {crash} (seen in 2 checks: a; b)",
                          "c: On X: your code raised ValueError: bad shape", f"d: On four points: {crash}")


def test_skipped_checks_count_neither_for_nor_against():
    """A check whose requirement is missing (Java for Spark) is skipped: 0 of 0 points, its reason as feedback."""
    skip = CheckResult("needs java", Status.SKIPPED, 0.0, 0.0, "skipped: Java not found")
    only = ExerciseResult("e", (skip,))
    assert only.status is Status.SKIPPED and (only.points, only.max_points) == (0.0, 0.0)
    assert only.feedback == ("skipped: Java not found",)
    mixed = ExerciseResult("e", (CheckResult("c", Status.PASSED, 2.0, 2.0), skip))
    assert mixed.status is Status.PASSED and (mixed.points, mixed.max_points) == (2.0, 2.0)


def test_a_check_with_a_missing_requirement_is_skipped_without_running(grader):
    from graders.engine.spec import Check, Exercise

    ran = []

    def judge(cases, observations):
        ran.append(True)

    check = Check("needs a tool", 3, [], judge, requires=lambda: "skipped: the tool is not installed")
    submission = type("Submission", (), {"answer": lambda self, exercise_id: "def f(): pass"})()
    cell_run = type("CellRun", (), {"status": "ok"})()
    result = grader._grade_exercise(None, Exercise("e", (check,)), submission, cell_run)
    assert result.status is Status.SKIPPED and result.max_points == 0 and not ran
    assert result.feedback == ("skipped: the tool is not installed",)


def test_points_roll_up_in_one_place_without_float_noise():
    parts = [SimpleNamespace(points=0.1, max_points=1), SimpleNamespace(points=0.2, max_points=2)]
    assert (total(parts), total(parts, "max_points"), total([])) == (0.3, 3, 0)
    assert ex(*[Status.PASSED] * 3).points == total(ex(*[Status.PASSED] * 3).checks) == 3.0
