"""``make progress``: mastery per module and per skill, from the history.

Mastery is the best score the learner has reached on each exercise (any source:
``make grade``, ``check()``, watch mode) over the points of every exercise of the
module's grader, so untouched exercises count as 0 and a later regression does not
erase what was shown once. Works on an empty history (everything at 0).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from graders.engine import registry
from graders.engine.results import total
from graders.engine.spec import Module

from . import history


@dataclass(frozen=True)
class ExerciseProgress:
    id: str
    skill: str
    points: float
    max_points: float
    status: str                    # best attempt's status; "" when never graded
    hints: int = 0                 # hint tiers opened
    solution_seen: bool = False    # reference shown before the exercise passed


@dataclass(frozen=True)
class ModuleProgress:
    id: str
    title: str
    skill: str
    exercises: tuple[ExerciseProgress, ...]

    @property
    def points(self) -> float:
        return total(self.exercises)

    @property
    def max_points(self) -> float:
        return total(self.exercises, "max_points")

    @property
    def passed(self) -> int:
        return sum(e.status == "passed" for e in self.exercises)


@dataclass(frozen=True)
class Progress:
    modules: tuple[ModuleProgress, ...]
    timeline: tuple[tuple[datetime, float], ...] = ()     # (time, best total points so far)
    events: int = 0
    skipped: tuple[str, ...] = field(default=())           # modules whose grader could not load

    @property
    def points(self) -> float:
        return total(self.modules)

    @property
    def max_points(self) -> float:
        return total(self.modules, "max_points")

    def skills(self) -> list[tuple[str, float, float]]:
        """(skill area, points, max_points) per module skill (math, features, ...), in curriculum order."""
        return [(area, p, mx) for area, sub, p, mx in self.skill_rows() if sub is None]

    def skill_rows(self) -> list[tuple[str, str | None, float, float]]:
        """(area, finer skill or None, points, max_points): each area, then the finer skills its
        exercises declare when they differ from the area (04_features: leakage, pipelines, ...)."""
        groups: dict[tuple[str, str | None], list[ExerciseProgress]] = {}
        for m in self.modules:
            for e in m.exercises:
                keys = [(m.skill, None)] + ([(m.skill, e.skill)] if e.skill != m.skill else [])
                for key in keys:
                    groups.setdefault(key, []).append(e)
        order = list(dict.fromkeys(area for area, _ in groups))
        rows = sorted(groups.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1] is not None))
        return [(area, sub, total(g), total(g, "max_points")) for (area, sub), g in rows]


def load_modules() -> tuple[list[Module], list[str]]:
    loaded, skipped = [], []
    for module_id in registry.module_ids():
        try:
            loaded.append(registry.load(module_id))
        except Exception:  # noqa: BLE001 - a module being written must not break the progress view
            skipped.append(module_id)
    return loaded, skipped


def compute(events: list[dict], specs: list[Module] | None = None, skipped=()) -> Progress:
    if specs is None:
        specs, skipped = load_modules()
    best = history.best(events)
    out = []
    for spec in specs:
        exercises = []
        for ex in spec.exercises:
            score = best.get((spec.id, ex.id))
            seen = [e for e in events if e.get("module") == spec.id and e.get("exercise") == ex.id]
            exercises.append(ExerciseProgress(
                ex.id, ex.skill or spec.skill, min(score.points, ex.points) if score else 0.0, ex.points,
                score.status if score else "",
                hints=max((int(e.get("tier", 0)) for e in seen if e.get("event") == "hint"), default=0),
                solution_seen=any(e.get("event") == "solution" and not e.get("passed") for e in seen)))
        out.append(ModuleProgress(spec.id, spec.title, spec.skill, tuple(exercises)))
    return Progress(tuple(out), timeline(events, specs), len(events), tuple(skipped))


def timeline(events: list[dict], specs: list[Module]) -> tuple[tuple[datetime, float], ...]:
    """Best total points after each grade, over time (one point per grade event that moved it or not)."""
    known = {(s.id, e.id): e.points for s in specs for e in s.exercises}
    best: dict[tuple[str, str], float] = {}
    points = []
    for e in events:
        key = (e.get("module"), e.get("exercise"))
        if e.get("event") != "grade" or key not in known:
            continue
        try:
            when = datetime.fromisoformat(str(e.get("time")))
        except ValueError:
            continue
        best[key] = max(best.get(key, 0.0), min(float(e.get("points", 0)), known[key]))
        points.append((when, round(sum(best.values()), 6)))
    points.sort(key=lambda p: p[0])      # JSON lines are appended in order; sorting guards clock oddities
    return tuple(points)


def write_report(progress: Progress, path: str | Path | None = None) -> Path:
    from graders.render.charts import progress_page

    target = Path(path) if path is not None else history.home() / "progress.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(progress_page(progress), encoding="utf-8")
    return target
