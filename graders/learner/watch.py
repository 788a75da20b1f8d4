"""``make watch``: regrade a notebook whenever it is saved and say what changed.

Polling file modification times (no new dependency, works on every file system
JupyterLab saves to). A change is graded once the file has stopped changing for
``debounce`` seconds, so a save in progress is not read half-written. Each grade
is compared with the previous one for that notebook (from the history at start,
so the first diff is "since your last grade"), and recorded with source "watch".
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from graders.engine.results import NotebookResult, Status

from . import history

PASSED = Status.PASSED.value


@dataclass(frozen=True)
class Change:
    exercise: str
    before: history.Score | None
    after: history.Score

    @property
    def kind(self) -> str:
        was_passing = self.before is not None and self.before.status == PASSED
        if self.after.status == PASSED and not was_passing:
            return "newly passing"
        if was_passing and self.after.status != PASSED:
            return "newly failing"
        return "points" if self.before is None or self.before.points != self.after.points else "status"

    def describe(self) -> str:
        after = f"{self.after.points:g}/{self.after.max_points:g}"
        before = "never graded" if self.before is None else f"{self.before.points:g}/{self.before.max_points:g}"
        if self.kind == "status":
            return f"{self.exercise}: {self.before.status} -> {self.after.status}"
        return f"{self.exercise}: {before} -> {after} ({self.after.status.replace('_', ' ')})"


def scores_of(result: NotebookResult) -> dict[str, history.Score]:
    return {ex.id: history.Score(ex.points, ex.max_points, ex.status.public, "") for ex in result.exercises}


def diff(before: dict[str, history.Score], after: dict[str, history.Score]) -> list[Change]:
    """Exercises whose points or status differ (newly passing, newly failing, points up or down)."""
    changes = []
    for exercise, now in after.items():
        old = before.get(exercise)
        if old is None and now.status == Status.NOT_ATTEMPTED.value:
            continue                     # a stub that was never graded has not changed in any useful sense
        if old is None or old.points != now.points or old.status != now.status:
            changes.append(Change(exercise, old, now))
    return changes


def summary(changes: Sequence[Change], result: NotebookResult) -> list[str]:
    if result.error:
        return [f"could not grade {result.path}: {result.error}"]
    lines = [f"{result.points:g}/{result.max_points:g} points"]
    if not changes:
        return lines + ["no change since the last grade"]
    for kind, label in (("newly passing", "✓ newly passing"), ("newly failing", "✗ newly failing"),
                        ("points", "~ points changed"), ("status", "~ status changed")):
        lines += [f"  {label}: {c.describe()}" for c in changes if c.kind == kind]
    return lines


class Watcher:
    """Watches notebook files; :meth:`poll` finds saved ones, :meth:`process` grades one and diffs."""

    def __init__(self, paths: Sequence[str | Path], grader, record: bool = True, debounce: float = 0.3,
                 history_file: str | Path | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.paths = [Path(p) for p in paths]
        self.grader, self.record, self.debounce = grader, record, debounce
        self.history_file, self.clock, self.sleep = history_file, clock, sleep
        self.stamps = {p: self._stamp(p) for p in self.paths}
        self.last: dict[Path, dict[str, history.Score]] = {}

    @staticmethod
    def _stamp(path: Path):
        try:
            st = path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def poll(self) -> list[Path]:
        """Paths saved since the last poll, each returned once the file has settled."""
        changed = [p for p in self.paths if self._stamp(p) != self.stamps[p]]
        settled = []
        for path in changed:
            stamp = self._stamp(path)
            deadline = self.clock() + 10 * max(self.debounce, 0.05)
            while True:                      # wait until two stats `debounce` apart agree
                self.sleep(self.debounce)
                again = self._stamp(path)
                if again == stamp or self.clock() > deadline:
                    break
                stamp = again
            self.stamps[path] = again
            if again is not None:
                settled.append(path)
        return settled

    def baseline(self, result: NotebookResult) -> dict[str, history.Score]:
        key = Path(result.path)
        if key not in self.last and result.module:
            self.last[key] = history.latest(result.module, history.read(self.history_file))
        return self.last.get(key, {})

    def process(self, path: str | Path) -> tuple[NotebookResult, list[Change]]:
        result = self.grader.grade_notebook(path)
        before = self.baseline(result)
        changes = diff(before, scores_of(result)) if not result.error else []
        if not result.error:
            self.last[Path(result.path)] = scores_of(result)
        if self.record:
            history.record_result(result, "watch", self.history_file)
        return result, changes

    def run(self, show: Callable[[NotebookResult, list[Change]], None], interval: float = 0.5,
            max_changes: int | None = None, initial: bool = True) -> int:
        """Grade every notebook once (if ``initial``), then each save; returns how many grades ran."""
        done = 0
        if initial:
            for path in self.paths:
                show(*self.process(path))
                done += 1
        regrades = 0
        while max_changes is None or regrades < max_changes:
            for path in self.poll():
                show(*self.process(path))
                done += 1
                regrades += 1
            if max_changes is None or regrades < max_changes:
                self.sleep(interval)
        return done
