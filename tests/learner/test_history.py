"""The local history: JSON lines appended by every grade, check, hint and solution."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from graders.engine.paths import EXERCISES, ROOT
from graders.engine.registry import load
from graders.engine.results import CheckResult, ExerciseResult, NotebookResult, Status
from graders.learner import history


def result(**statuses) -> NotebookResult:
    exercises = []
    for exercise, status in statuses.items():
        points = 10.0 if status is Status.PASSED else 0.0
        exercises.append(ExerciseResult(exercise, (CheckResult("c", status, points, 10.0, "msg"),)))
    return NotebookResult("nb.ipynb", "02_math", tuple(exercises), version="1")


def test_events_round_trip_and_a_missing_file_is_an_empty_history(tmp_path):
    path = tmp_path / "h" / "history.jsonl"
    assert history.read(path) == []
    history.record_result(result(softmax=Status.PASSED, pca=Status.INCORRECT), "grade", path)
    history.record_hint("02_math", "pca", 1, path)
    history.record_solution("02_math", "pca", confirmed=True, passed=False, path=path)
    events = history.read(path)
    assert [e["event"] for e in events] == ["grade", "grade", "hint", "solution"]
    first = events[0]
    assert first["module"] == "02_math" and first["exercise"] == "softmax" and first["source"] == "grade"
    assert first["points"] == 10 and first["max_points"] == 10 and first["status"] == "passed"
    assert first["time"] and first["version"] == "1"


def test_broken_lines_cost_only_themselves(tmp_path):
    path = tmp_path / "history.jsonl"
    history.record_result(result(softmax=Status.PASSED), "grade", path)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"event": "grade", "exerc\n[1, 2]\n\n')
    history.record_hint("02_math", "pca", 2, path)
    assert [e["event"] for e in history.read(path)] == ["grade", "hint"]


def test_an_ungradable_notebook_records_nothing(tmp_path):
    path = tmp_path / "history.jsonl"
    history.record_result(NotebookResult("x.ipynb", None, error="broken JSON"), "grade", path)
    assert history.read(path) == []


def test_derived_views_hints_passed_latest_best(tmp_path):
    path = tmp_path / "history.jsonl"
    history.record_result(result(softmax=Status.PASSED), "check", path)
    history.record_result(result(softmax=Status.INCORRECT), "watch", path)      # a later regression
    history.record_hint("02_math", "pca", 1, path)
    history.record_hint("02_math", "pca", 2, path)
    events = history.read(path)
    assert history.hints_seen("02_math", "pca", events) == 2 and history.hints_seen("02_math", "softmax", events) == 0
    assert history.has_passed("02_math", "softmax", events) and not history.has_passed("02_math", "pca", events)
    assert history.latest("02_math", events)["softmax"].status == "incorrect"
    assert history.best(events)[("02_math", "softmax")].points == 10


def test_home_follows_mlkata_home_and_tests_never_touch_the_real_one(tmp_path, monkeypatch):
    monkeypatch.setenv("MLKATA_HOME", str(tmp_path))
    assert history.history_path() == tmp_path / "history.jsonl"
    monkeypatch.delenv("MLKATA_HOME")
    assert history.home() != ROOT / ".mlkata"          # under pytest without MLKATA_HOME: a scratch folder


def test_make_grade_appends_to_the_history(tmp_path):
    env = {**os.environ, "MLKATA_HOME": str(tmp_path)}
    cmd = [sys.executable, "-m", "graders", "grade", str(EXERCISES / "02_math.ipynb")]
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = (tmp_path / "history.jsonl").read_text().splitlines()
    n = len(load("02_math").exercises)
    assert len(lines) == n and {json.loads(line)["source"] for line in lines} == {"grade"}
    run = subprocess.run(cmd + ["--no-history"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and len((tmp_path / "history.jsonl").read_text().splitlines()) == n


def test_grading_the_reference_solutions_is_not_the_learners_progress(tmp_path):
    path = tmp_path / "history.jsonl"
    reference = NotebookResult(str(ROOT / "solutions" / "02_math.ipynb"), "02_math", result(a=Status.PASSED).exercises)
    history.record_result(reference, "grade", path)
    assert history.read(path) == []
