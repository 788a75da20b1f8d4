"""Shared pieces of 08_mlops's checks, in the grading process: per-case judges and refusal verdicts.

Most checks here use custom probes that return one observation per case (a dict, or an ``error`` record
of the learner's exception); ``per_case`` turns a function judging one of them into a check's judge.
Messages describe what the learner's code did and the rule it broke, never an expected value.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from graders.engine.judges import error_failure, incorrect
from graders.engine.results import Status
from graders.engine.sandbox.plain import Opaque
from graders.engine.spec import Case, Failure

MODULE_ID = "08_mlops"


def per_case(judge_one: Callable[[Case, dict], Failure | None]):
    """A check judge from ``judge_one(case, value)``: learner errors become error feedback (or "not
    attempted"), the first failing case decides."""

    def judge(cases: Sequence[Case], observations) -> Failure | None:
        if not isinstance(observations, list) or len(observations) != len(cases):
            return Failure(Status.GRADER_ERROR, "internal grader error (not your fault, please report it): the "
                                                "probe returned no observation per case")
        for case, obs in zip(cases, observations):
            if "error" in obs:
                return error_failure(case, obs["error"])
            failure = judge_one(case, obs.get("value"))
            if failure is not None:
                return failure
        return None

    return judge


def refusal_failure(case: Case, seen, words: Sequence[str] = (), *, what: str,
                    accepted_mistake: tuple[str, str] | None = None) -> Failure | None:
    """``seen`` must be a refusal: a ValueError (or a subclass) whose message contains one of ``words``
    (case-insensitively). ``what`` says what is being refused; ``accepted_mistake`` (id, message) names
    the slip when the call did not raise at all."""
    if not isinstance(seen, dict):
        return incorrect(case, f"{what} must raise ValueError, but the call returned normally")
    if "raised" not in seen:
        if accepted_mistake is not None:
            return incorrect(case, accepted_mistake[1], accepted_mistake[0])
        return incorrect(case, f"{what} must raise ValueError, but the call returned normally")
    if not seen.get("value_error"):
        return incorrect(case, f"{what} must raise ValueError (a subclass is fine); your code raised "
                               f"{seen['raised']}: {seen.get('message', '')}", "not-a-value-error")
    message = str(seen.get("message", "")).lower()
    if words and not any(w.lower() in message for w in words):
        listed = ", ".join(f'"{w}"' for w in words)
        return incorrect(case, f"{what}: your ValueError's message does not say why; it must contain one of "
                               f"{listed} (any case). Your message: {seen.get('message', '')!r}", "vague-message")
    return None


def kind_of(value) -> str:
    """What the learner returned, in words (for values that are not the expected kind at all)."""
    if value is None:
        return "None (did you forget to `return` the result?)"
    if isinstance(value, Opaque):
        return f"an object of type {value.type_name}"
    return f"a {type(value).__name__}"
