"""Grading a mock interview, timing it, and the check() of its notebook.

A session notebook (built by :mod:`graders.learner.interview.draw`) holds exercises of several modules; the engine
grades one module per :class:`Submission`, so :func:`module_submissions` splits the notebook by the module
each cell carries in ``metadata.mlkata`` and every part is graded with ``Grader.grade(sub, only=[...])``.
Grade events are tagged with the interview's id; the time per exercise comes from them (see
:func:`exercise_times`), so checks made during the session count, and nothing else in the history does.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat

from graders.engine.notebook import METADATA_KEY, Submission, read_notebook, submission_from_notebook
from graders.engine.results import Status, total
from graders.learner import history

from .draw import InterviewError, default_dir

STRONG, WEAK = 0.8, 0.5           # share of the points: a strength at or above STRONG, a gap below WEAK


def plan_of(nb) -> dict:
    meta = (nb.get("metadata") or {}).get(METADATA_KEY) or {}
    if "interview" not in meta or not meta.get("modules"):
        raise InterviewError("this is not an interview notebook (no metadata.mlkata.interview); grade module "
                             "notebooks with `make grade`")
    return meta


def module_submissions(nb, path) -> dict[str, Submission]:
    """One Submission per module: its setup and answer cells, read by the reader of module notebooks
    (cells the learner added carry no module and are not run, as in a module notebook)."""
    out = {}
    for module in plan_of(nb)["modules"]:
        def belongs(cell, mid=module["id"]):
            meta = cell.get("metadata", {}).get(METADATA_KEY) or {}
            return meta.get("module") == mid or mid in (meta.get("modules") or [])

        meta = {METADATA_KEY: {"module": module["id"], "version": module.get("version")}}
        part = nbformat.from_dict({"nbformat": 4, "nbformat_minor": 5, "metadata": meta,
                                   "cells": [c for c in nb.cells if belongs(c)]})
        out[module["id"]] = submission_from_notebook(part, str(path))
    return out


def drawn_ids(plan: dict, module_id: str) -> list[str]:
    return [e["id"] for e in plan["interview"]["exercises"] if e["module"] == module_id]


def record(results, interview_id: str, source: str, path=None) -> None:
    events = [{**e, "interview": interview_id} for r in results for e in history.grade_events(r, source)]
    history.safe_append(events, path)


def grade(path: str | Path, grader=None, history_file=None) -> "InterviewReport":
    """Grade a session notebook with the engine, record it (source "interview") and report on it."""
    from graders.engine.runner import Grader

    path = Path(path)
    nb = read_notebook(path)
    plan = plan_of(nb)
    subs = module_submissions(nb, path)
    own = grader is None
    grader = grader or Grader()
    try:
        grader.prepare(subs)
        results = [grader.grade(sub, only=drawn_ids(plan, mid)) for mid, sub in subs.items()]
    finally:
        if own:
            grader.close()
    interview_id = plan["interview"]["id"]
    record(results, interview_id, "interview", history_file)
    history.safe_append([{"event": "interview", "action": "finish", "interview": interview_id,
                          "notebook": str(path)}], history_file)
    events = [e for e in history.read(history_file) if e.get("interview") == interview_id]
    return build_report(plan, results, events, str(path))


# ---------------------------------------------------------------------------------------------- the report
@dataclass(frozen=True)
class ExerciseLine:
    module: str
    id: str
    area: str
    points: float
    max_points: float
    status: str
    seconds: float | None          # None: never attempted
    feedback: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkillLine:
    area: str
    points: float
    max_points: float
    exercises: tuple[str, ...]

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    @property
    def verdict(self) -> str:
        return "strength" if self.fraction >= STRONG else "gap" if self.fraction < WEAK else "partial"


@dataclass(frozen=True)
class InterviewReport:
    id: str
    path: str
    seed: int
    minutes: float
    elapsed_seconds: float | None
    exercises: tuple[ExerciseLine, ...]
    skills: tuple[SkillLine, ...]
    next_module: str | None
    advice: str
    errors: tuple[str, ...] = ()

    @property
    def points(self) -> float:
        return total(self.exercises)

    @property
    def max_points(self) -> float:
        return total(self.exercises, "max_points")


def _when(text) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def exercise_times(plan: dict, events: list[dict]) -> dict[tuple[str, str], float]:
    """Seconds per exercise, from this interview's grade events: an exercise ends at its first passing
    grade, else at its last attempt; its time runs from the end of the one finished before it (or from
    the start), shared evenly by exercises that ended at the same grade. Never attempted: no entry."""
    start = _when(plan["interview"].get("started"))
    ends = {}
    for ex in plan["interview"]["exercises"]:
        grades = [e for e in events if e.get("event") == "grade" and e.get("module") == ex["module"]
                  and e.get("exercise") == ex["id"] and _when(e.get("time"))]
        passed = [e for e in grades if e.get("status") == Status.PASSED.value]
        tried = [e for e in grades if e.get("status") != Status.NOT_ATTEMPTED.value]
        if passed or tried:
            ends[(ex["module"], ex["id"])] = _when((passed[0] if passed else tried[-1])["time"])
    out, previous = {}, start or min(ends.values(), default=None)
    for end in sorted(set(ends.values())):
        together = [key for key, when in ends.items() if when == end]   # ended by one grade: split its time
        for key in together:
            out[key] = max(0.0, (end - previous).total_seconds()) / len(together)
        previous = max(previous, end)
    return out


def build_report(plan: dict, results, events: list[dict], path: str = "") -> InterviewReport:
    meta = plan["interview"]
    by_key = {(r.module, ex.id): ex for r in results if not r.error for ex in r.exercises}
    errors = tuple(f"{r.module}: {r.error}" for r in results if r.error)
    times = exercise_times(plan, events)
    lines = []
    for ex in meta["exercises"]:
        key = (ex["module"], ex["id"])
        got = by_key.get(key)
        status = got.status.public if got else Status.ERROR.value
        lines.append(ExerciseLine(ex["module"], ex["id"], ex["area"], got.points if got else 0.0,
                                  got.max_points if got else float(ex["points"]), status, times.get(key),
                                  got.feedback if got and got.status is not Status.PASSED else ()))
    skills = []
    for area in dict.fromkeys(line.area for line in lines):
        mine = [line for line in lines if line.area == area]
        skills.append(SkillLine(area, total(mine), total(mine, "max_points"),
                                tuple(x.id for x in mine)))
    start, stamps = _when(meta.get("started")), [_when(e.get("time")) for e in events if e.get("event") == "grade"]
    stamps = [s for s in stamps if s]
    elapsed = (max(stamps) - start).total_seconds() if start and stamps else None
    next_module, advice = suggest(lines, skills, [m["id"] for m in plan["modules"]])
    return InterviewReport(meta["id"], path, int(meta.get("seed", 0)), float(meta.get("minutes", 0)), elapsed,
                           tuple(lines), tuple(skills), next_module, advice, errors)


def suggest(lines, skills, drawn_modules) -> tuple[str | None, str]:
    """The module to study next: the one of the weakest skill (most points missed breaks ties)."""
    weak = sorted((s for s in skills if s.verdict != "strength"),
                  key=lambda s: (s.fraction, -(s.max_points - s.points)))
    if weak:
        area = weak[0]
        missed = [x for x in lines if x.area == area.area and x.status != Status.PASSED.value]
        module = missed[0].module if missed else lines[0].module
        return module, (f"your weakest skill was {area.area} ({area.fraction:.0%}): work through "
                        f"exercises/{module}.ipynb, starting with {', '.join(x.id for x in missed[:3])}")
    from graders.engine import registry

    fresh = [m for m in registry.module_ids() if m not in drawn_modules]
    if fresh:
        return fresh[0], f"every skill drawn was a strength: try a skill not drawn yet, exercises/{fresh[0]}.ipynb"
    return None, "every skill drawn was a strength: try a longer interview (--n 8) or another seed"


# ---------------------------------------------------------------------------------------------- check()
def connect(name: str):
    """``check = connect("interview-....ipynb")``: the check() of a session notebook."""
    from graders.learner.inline.switch import disabled

    if disabled():
        return lambda *args, **kwargs: None
    session = InterviewSession(locate(name))
    threading.Thread(target=session.warm_up, name="mlkata-warm-up", daemon=True).start()
    return session.check


def locate(name: str) -> Path:
    """The saved session notebook: Jupyter's JPY_SESSION_NAME, the kernel's folder, the default folder."""
    import os

    session, base = os.environ.get("JPY_SESSION_NAME", ""), Path(name).name
    candidates = [Path(session), Path.cwd() / session] if session.endswith(base) else []
    for path in candidates + [Path(name), Path.cwd() / base, default_dir() / base]:
        if path.is_file():
            return path.resolve()
    raise InterviewError(f"cannot find {base}: open the interview notebook from its folder (interviews/)")


class InterviewSession:
    """check() in a session notebook: the live answers this kernel ran (as in module notebooks), graded
    per module by the warm graders of :mod:`graders.learner.inline.session`, recorded with the interview's id."""

    def __init__(self, path, inputs=None, grader=None, history_file=None):
        self.path, self._inputs, self._grader, self._history = Path(path), inputs, grader, history_file
        self.plan = plan_of(read_notebook(self.path))
        self.keys = [(e["module"], e["id"]) for e in self.plan["interview"]["exercises"]]

    def warm_up(self) -> None:
        from graders.engine import live

        for module_id in dict.fromkeys(m for m, _ in self.keys):
            try:
                live.answer_names(module_id)
            except Exception:  # noqa: BLE001 - resurfaces with its message at the first check
                pass

    def inputs(self) -> list[str]:
        from graders.engine import live

        if self._inputs is not None:
            return list(self._inputs() if callable(self._inputs) else self._inputs)
        from IPython import get_ipython

        shell = get_ipython()
        return live.kernel_inputs(shell) if shell is not None else []

    def submission(self, module_id: str) -> Submission:
        from graders.engine import live

        base = module_submissions(read_notebook(self.path), self.path)[module_id]
        return live.live_submission(base, self.inputs(), module_id, drawn_ids(self.plan, module_id))

    def grade(self, exercise: str | None = None):
        from graders.engine.runner import warm_grader

        targets = [k for k in self.keys if exercise is None or k[1] == exercise]
        results = []
        for module_id in dict.fromkeys(m for m, _ in targets):
            grader = self._grader or warm_grader(module_id)
            results.append(grader.grade(self.submission(module_id), only=[i for m, i in targets if m == module_id]))
        record(results, self.plan["interview"]["id"], "interview-check", self._history)
        return results

    def check(self, exercise: str | None = None) -> None:
        from graders.render.inline_html import MessageView, ResultView, show

        if exercise is not None and exercise not in [i for _, i in self.keys]:
            show(MessageView(f"This interview has no exercise {exercise!r}.",
                             ["Exercises: " + ", ".join(i for _, i in self.keys)], status=Status.ERROR))
            return None
        started = time.monotonic()
        results = self.grade(exercise)
        used = _when(self.plan["interview"].get("started"))
        used = (datetime.now().astimezone() - used).total_seconds() / 60 if used else 0.0
        clock = f"{used:.0f} of {self.plan['interview'].get('minutes', 0):g} minutes used."

        class View(ResultView):
            def footer(self):
                done = self.shown and all(e.status is Status.PASSED for e in self.shown)
                return [("Passed. " if done else "Not yet: fix it and check again. ") + clock]

        for result in results:
            show(View(result, exercise, time.monotonic() - started))
        return None
