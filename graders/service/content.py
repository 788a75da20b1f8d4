"""What the API reads from the course: which modules and exercises exist, hints, reference solutions
(under the course's policy), and results rendered as check() shows them."""
from __future__ import annotations

from datetime import datetime, timezone

from fastapi import HTTPException

from graders.engine import registry
from graders.engine.live import answer_names
from graders.engine.notebook import read_notebook, submission_from_notebook
from graders.engine.paths import SOLUTIONS
from graders.engine.results import Status
from graders.render.inline_html import MessageView, ResultView
from graders.render.json_report import notebook_from_dict

from .config import ServiceConfig
from .models import Hints, ModuleInfo, Solution, SubmissionOut, View


def known_exercise(config: ServiceConfig, module: str, exercise: str | None) -> None:
    """404 unless the course grades ``module`` (and it has ``exercise``): ids never reach a path unchecked."""
    if module not in config.modules:
        raise HTTPException(404, f"this course has no module {module!r}; modules: {', '.join(config.modules)}")
    if exercise is not None:
        ids = [ex.id for ex in registry.load(module).exercises]
        if exercise not in ids:
            raise HTTPException(404, f"{module} has no exercise {exercise!r}; exercises: {', '.join(ids)}")


def out(row: dict, full: bool = True) -> SubmissionOut:
    view = None
    if full and row["result"] is not None:
        seconds = (row["finished"] - row["started"]).total_seconds() if row["finished"] and row["started"] else 0
        shown = ResultView(notebook_from_dict(row["result"]), row["exercise"], seconds)
        view = View(html=shown.html(), text=shown.text())
    return SubmissionOut(**{k: row[k] for k in ("id", "status", "module", "exercise", "student", "points",
                                                 "max_points", "attempts", "error", "created", "finished")},
                         result=row["result"] if full else None, view=view)


def module_info(config: ServiceConfig, module: str) -> ModuleInfo:
    known_exercise(config, module, None)
    return ModuleInfo(module=module, exercises=[ex.id for ex in registry.load(module).exercises],
                      answers={k: sorted(v) for k, v in answer_names(module).items()})


def hints(config: ServiceConfig, module: str, exercise: str) -> Hints:
    known_exercise(config, module, exercise)
    return Hints(module=module, exercise=exercise, hints=list(registry.load(module).exercise(exercise).hints))


def solution(config: ServiceConfig, store, who: tuple[str, bool], module: str, exercise: str) -> Solution:
    known_exercise(config, module, exercise)
    policy, (student, instructor) = config.solution_policy, who
    if not instructor:
        if policy.mode == "never":
            raise HTTPException(403, "this course does not show reference solutions")
        if policy.mode == "after_deadline" and datetime.now(timezone.utc) < policy.deadline:
            raise HTTPException(403, f"reference solutions open after the deadline, {policy.deadline.isoformat()}")
        if policy.mode == "after_pass" and not store.passed(student, module, exercise):
            raise HTTPException(403, f"the solution of {exercise} opens once your check of it passes")
    source = reference_source(module, exercise)
    shown = MessageView(f"{exercise}: reference solution (compare the approaches).", [], code=source,
                        status=Status.PASSED)
    return Solution(module=module, exercise=exercise, source=source, view=View(html=shown.html(), text=shown.text()))


def reference_source(module: str, exercise: str) -> str:
    """The answer cell of ``solutions/<module>.ipynb`` without nbgrader's markers (server side only)."""
    sub = submission_from_notebook(read_notebook(SOLUTIONS / f"{module}.ipynb"), f"{module}.ipynb")
    source = sub.answer(exercise) or "(no reference solution found)"
    return "\n".join(line for line in source.splitlines()
                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
