"""The class's progress, for the instructor's dashboard: pure functions over the store's submission rows.

A student's standing on an exercise is their *best* graded result for it (as the CSV gradebook counts
it: a later, worse check never lowers a grade). "Attempted" means at least one graded result for the
exercise whose status is not ``not_attempted`` (an untouched stub sent along with a whole notebook is
not an attempt). Mistake counts come from every graded submission (how often the slip was made), with
the number of distinct students next to them (how widespread it is).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from pydantic import BaseModel, Field

NOT_ATTEMPTED = "not_attempted"


class ExerciseProgress(BaseModel):
    module: str
    exercise: str
    max_points: float
    attempted: int = Field(description="students with at least one real attempt graded")
    passed: int = Field(description="students whose best result passed")
    mean_points: float | None = Field(description="mean of the attempting students' best points; null if none")


class MistakeCount(BaseModel):
    module: str
    exercise: str
    mistake: str = Field(description="the mistake id the grader reported")
    count: int = Field(description="graded submissions that made it")
    students: int = Field(description="distinct students who made it")


class StudentRow(BaseModel):
    student: str
    submissions: int
    points: float = Field(description="sum of best points over the course's exercises")
    max_points: float
    passed: int
    attempted: int
    last_seen: datetime | None = None
    exercises: dict[str, float] = Field(description="'module/exercise' -> best points (attempted ones only)")


class ClassProgress(BaseModel):
    course: str
    students: int
    submissions: int
    queued: int = Field(description="submissions waiting for or in grading")
    failed: int
    latest_id: int | None = Field(description="the newest submission's id: a poller redraws when it changes")
    exercises: list[ExerciseProgress]
    mistakes: list[MistakeCount]
    rows: list[StudentRow]


def best_results(rows: list[dict]) -> dict[tuple[str, str, str], dict]:
    """(student, module, exercise) -> the exercise dict of the best graded attempt (most points)."""
    best: dict[tuple[str, str, str], dict] = {}
    for row in rows:
        if row["status"] != "graded":
            continue
        for ex in (row["result"] or {}).get("exercises", ()):
            if ex.get("status") == NOT_ATTEMPTED:
                continue
            key = (row["student"], row["module"], ex["id"])
            if key not in best or ex["points"] > best[key]["points"]:
                best[key] = ex
    return best


def class_progress(course: str, exercises: dict[str, list[tuple[str, float]]], roster: list[str],
                   rows: list[dict], top_mistakes: int = 20) -> ClassProgress:
    """``exercises``: module -> [(exercise id, max points)] in course order; ``rows``: the store's rows."""
    best = best_results(rows)
    table = []
    for module, items in exercises.items():
        for exercise, max_points in items:
            got = [ex for (_, m, e), ex in best.items() if m == module and e == exercise]
            table.append(ExerciseProgress(
                module=module, exercise=exercise, max_points=max_points, attempted=len(got),
                passed=sum(ex["status"] == "passed" for ex in got),
                mean_points=round(sum(ex["points"] for ex in got) / len(got), 3) if got else None))

    counts: Counter = Counter()
    who: dict[tuple, set] = defaultdict(set)
    for row in rows:
        if row["status"] != "graded":
            continue
        for ex in (row["result"] or {}).get("exercises", ()):
            for mistake in set(ex.get("mistakes", ())):
                key = (row["module"], ex["id"], mistake)
                counts[key] += 1
                who[key].add(row["student"])
    mistakes = [MistakeCount(module=m, exercise=e, mistake=k, count=n, students=len(who[(m, e, k)]))
                for (m, e, k), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top_mistakes]]

    course_max = sum(p for items in exercises.values() for _, p in items)
    known = {(m, e) for m, items in exercises.items() for e, _ in items}
    people = list(roster) + sorted({r["student"] for r in rows} - set(roster))
    students = []
    for student in people:
        mine = [r for r in rows if r["student"] == student]
        done = {f"{m}/{e}": ex["points"] for (s, m, e), ex in best.items() if s == student and (m, e) in known}
        seen = [r["created"] for r in mine if r["created"] is not None]
        students.append(StudentRow(
            student=student, submissions=len(mine), points=round(sum(done.values()), 3), max_points=course_max,
            attempted=len(done), last_seen=max(seen) if seen else None,
            passed=sum(ex["status"] == "passed" for (s, m, e), ex in best.items() if s == student and (m, e) in known),
            exercises=dict(sorted(done.items()))))

    return ClassProgress(
        course=course, students=len(roster), submissions=len(rows),
        queued=sum(r["status"] in ("queued", "running") for r in rows),
        failed=sum(r["status"] == "failed" for r in rows),
        latest_id=max((r["id"] for r in rows), default=None),
        exercises=table, mistakes=mistakes, rows=students)
