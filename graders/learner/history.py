"""The learner's local history: one JSON object per line in ``.mlkata/history.jsonl``.

Every grade (``make grade``, ``check()`` in a notebook, watch mode) appends one
``grade`` event per exercise; ``hint()`` and ``solution()`` append their own
events. Progress, hint tiers and "has this exercise passed?" are all derived from
this file, so there is no second source of truth to drift. JSON lines, because an
append is atomic enough for one learner, a half-written line (a crash) costs only
that line, and the file stays readable with ``tail`` or pandas.

``MLKATA_HOME`` moves the folder (tests point it at a temporary directory).
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from graders.engine.paths import SOLUTIONS, home
from graders.engine.results import NotebookResult, Status

FILE_NAME = "history.jsonl"




def history_path(path: str | Path | None = None) -> Path:
    return Path(path) if path is not None else home() / FILE_NAME


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def append(events: Iterable[dict], path: str | Path | None = None) -> None:
    """Append events (each gets a timestamp unless it has one). One write per call."""
    lines = [json.dumps({"time": now(), **e}, sort_keys=True) for e in events]
    if not lines:
        return
    target = history_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def safe_append(events: Iterable[dict], path: str | Path | None = None) -> None:
    """Like :func:`append`, but a history that cannot be written never stops grading."""
    try:
        append(list(events), path)
    except OSError as exc:
        print(f"note: could not write the progress history ({exc})", file=sys.stderr)


def read(path: str | Path | None = None) -> list[dict]:
    """All events, oldest first; missing file -> []; broken lines are skipped, not fatal."""
    target = history_path(path)
    if not target.exists():
        return []
    events = []
    with open(target, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(event, dict) and "event" in event:
                events.append(event)
    return events


def is_reference(path: str | Path) -> bool:
    """A notebook in ``solutions/``: grading the reference says nothing about the learner's mastery."""
    try:
        return Path(path).resolve().is_relative_to(SOLUTIONS)
    except OSError:
        return False


def grade_events(result: NotebookResult, source: str) -> list[dict]:
    """One ``grade`` event per exercise of a graded notebook (nothing for an ungradable file or for the
    reference solutions)."""
    if result.error or not result.module or is_reference(result.path):
        return []
    return [{"event": "grade", "source": source, "module": result.module, "version": result.version,
             "notebook": result.path, "exercise": ex.id, "points": ex.points, "max_points": ex.max_points,
             "status": ex.status.public}
            for ex in result.exercises]


def record_result(result: NotebookResult, source: str, path: str | Path | None = None) -> None:
    safe_append(grade_events(result, source), path)


def record_hint(module: str, exercise: str, tier: int, path: str | Path | None = None) -> None:
    safe_append([{"event": "hint", "module": module, "exercise": exercise, "tier": tier}], path)


def record_solution(module: str, exercise: str, confirmed: bool, passed: bool,
                    path: str | Path | None = None) -> None:
    safe_append([{"event": "solution", "module": module, "exercise": exercise, "confirmed": confirmed,
                  "passed": passed}], path)


@dataclass(frozen=True)
class Score:
    points: float
    max_points: float
    status: str
    time: str


def _of(events: list[dict], kind: str, module: str, exercise: str | None = None) -> list[dict]:
    return [e for e in events if e.get("event") == kind and e.get("module") == module
            and (exercise is None or e.get("exercise") == exercise)]


def hints_seen(module: str, exercise: str, events: list[dict] | None = None) -> int:
    """How many hint tiers the learner has opened (survives kernel restarts)."""
    events = read() if events is None else events
    return max((int(e.get("tier", 0)) for e in _of(events, "hint", module, exercise)), default=0)


def has_passed(module: str, exercise: str, events: list[dict] | None = None) -> bool:
    events = read() if events is None else events
    return any(e.get("status") == Status.PASSED.value for e in _of(events, "grade", module, exercise))


def latest(module: str, events: list[dict] | None = None) -> dict[str, Score]:
    """Last recorded score per exercise of a module (what watch mode diffs against)."""
    events = read() if events is None else events
    out = {}
    for e in _of(events, "grade", module):
        out[e["exercise"]] = _score(e)
    return out


def best(events: list[dict]) -> dict[tuple[str, str], Score]:
    """Best score per (module, exercise): mastery counts what the learner has shown they can do."""
    out: dict[tuple[str, str], Score] = {}
    for e in events:
        if e.get("event") != "grade" or "exercise" not in e:
            continue
        key, score = (e.get("module"), e["exercise"]), _score(e)
        if key not in out or score.points > out[key].points:
            out[key] = score
    return out


def _score(e: dict) -> Score:
    return Score(float(e.get("points", 0)), float(e.get("max_points", 0)), str(e.get("status", "")),
                 str(e.get("time", "")))
