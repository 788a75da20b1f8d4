"""The JSON contract of ``python -m graders grade --json FILE`` (other tools read it)."""
from __future__ import annotations

import json

from graders.engine.results import CheckResult, ExerciseResult, GradeReport, NotebookResult, Status


def exercise_dict(ex: ExerciseResult) -> dict:
    return {
        "id": ex.id,
        "points": ex.points,
        "max_points": ex.max_points,
        "status": ex.status.public,
        "feedback": list(ex.feedback),
        "mistakes": list(ex.mistakes),
        "notes": list(ex.notes),
        "checks": [{"title": c.title, "status": c.status.public, "points": c.points, "max_points": c.max_points,
                    "message": c.message, "mistake": c.mistake} for c in ex.checks],
    }


def notebook_dict(nb: NotebookResult) -> dict:
    out = {"path": nb.path, "module": nb.module, "exercises": [exercise_dict(e) for e in nb.exercises],
           "points": nb.points, "max_points": nb.max_points}
    if nb.error:
        out["error"] = nb.error
    if nb.notes:
        out["notes"] = list(nb.notes)
    return out


def to_dict(report: GradeReport) -> dict:
    return {"notebooks": [notebook_dict(n) for n in report.notebooks],
            "points": report.points, "max_points": report.max_points}


def dumps(report: GradeReport) -> str:
    return json.dumps(to_dict(report), indent=2)


def notebook_from_dict(data: dict) -> NotebookResult:
    """The inverse of :func:`notebook_dict`: the grading service stores this JSON and renders it back with
    the renderers of local grading (a grader error reads back as an error: the public status)."""
    exercises = tuple(
        ExerciseResult(e["id"], tuple(CheckResult(c["title"], Status(c["status"]), c["points"], c["max_points"],
                                                  c.get("message", ""), c.get("mistake"))
                                      for c in e.get("checks", ())), tuple(e.get("notes", ())))
        for e in data.get("exercises", ()))
    return NotebookResult(data.get("path", ""), data.get("module"), exercises, error=data.get("error"),
                          notes=tuple(data.get("notes", ())))
