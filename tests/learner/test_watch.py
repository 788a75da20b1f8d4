"""make watch: regrade on save, say what changed (newly passing, newly failing, points)."""
from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest
from banks import solution_notebook

from graders.engine.notebook import submission_from_notebook
from graders.engine.paths import EXERCISES, ROOT
from graders.learner import history
from graders.learner.watch import Watcher, diff, summary

MODULE = "02_math"
REFERENCE = dict(submission_from_notebook(solution_notebook(MODULE)).answers)
WRONG_SOFTMAX = "import numpy as np\ndef softmax(z, axis=-1):\n    e = np.exp(z)\n    return e / e.sum(axis=axis, keepdims=True)\n"


@pytest.fixture(autouse=True)
def temporary_home(tmp_path, monkeypatch):
    monkeypatch.setenv("MLKATA_HOME", str(tmp_path / "home"))


def save(path, answers):
    """Save the exercise notebook with these answers (what JupyterLab does on Ctrl-S)."""
    nb = nbformat.read(EXERCISES / f"{MODULE}.ipynb", as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in answers:
            cell.source = answers[meta["grade_id"]]
    nbformat.write(nb, path)
    os.utime(path, ns=(os.stat(path).st_mtime_ns + 10**9,) * 2)   # a distinct mtime even on coarse clocks


def kinds(changes):
    return {c.exercise: c.kind for c in changes}


def test_diff_names_newly_passing_newly_failing_and_points():
    s = history.Score
    before = {"a": s(0, 10, "incorrect", ""), "b": s(10, 10, "passed", ""), "c": s(2, 10, "incorrect", ""),
              "d": s(5, 10, "incorrect", "")}
    after = {"a": s(10, 10, "passed", ""), "b": s(4, 10, "incorrect", ""), "c": s(6, 10, "incorrect", ""),
             "d": s(5, 10, "incorrect", ""), "e": s(0, 10, "not_attempted", "")}
    assert kinds(diff(before, after)) == {"a": "newly passing", "b": "newly failing", "c": "points"}


def test_each_save_is_regraded_and_compared_with_the_last_grade(grader, tmp_path):
    path = tmp_path / f"{MODULE}.ipynb"
    save(path, {})
    watcher = Watcher([path], grader, debounce=0.0, sleep=lambda s: None)
    result, changes = watcher.process(path)                 # first grade, empty history: stubs are no news
    assert result.points == 0 and changes == [] and watcher.poll() == []
    save(path, {"softmax": REFERENCE["softmax"], "logsumexp": REFERENCE["logsumexp"]})
    assert watcher.poll() == [path]
    result, changes = watcher.process(path)
    assert kinds(changes) == {"softmax": "newly passing", "logsumexp": "newly passing"}
    assert "  ✓ newly passing: softmax: 0/10 -> 10/10 (passed)" in summary(changes, result)
    save(path, {"softmax": WRONG_SOFTMAX, "logsumexp": REFERENCE["logsumexp"]})
    result, changes = watcher.process(watcher.poll()[0])
    assert kinds(changes) == {"softmax": "newly failing"}
    lines = summary(changes, result)
    assert lines[0] == f"{result.points:g}/100 points" and any("✗ newly failing: softmax: 10/10 ->" in x for x in lines)
    assert {e["source"] for e in history.read()} == {"watch"}


def test_the_first_grade_is_compared_with_the_history(grader, tmp_path):
    path = tmp_path / f"{MODULE}.ipynb"
    save(path, {"softmax": REFERENCE["softmax"]})
    history.record_result(grader.grade_notebook(path), "grade")          # yesterday's `make grade`
    save(path, {"softmax": WRONG_SOFTMAX})
    _, changes = Watcher([path], grader, record=False).process(path)
    assert kinds(changes) == {"softmax": "newly failing"}


def test_run_stops_after_max_changes_and_survives_a_broken_save(grader, tmp_path):
    path = tmp_path / f"{MODULE}.ipynb"
    save(path, {})
    seen = []
    saves = iter([lambda: path.write_text("{ half written"), lambda: save(path, {"softmax": REFERENCE["softmax"]})])

    calls = []

    def sleep(seconds):            # the "learner" saves between two polls (not during the debounce wait)
        calls.append(seconds)
        assert len(calls) < 50, "the watcher should have stopped"
        step = next(saves, None) if seconds == 0.01 else None
        if step:
            step()
            os.utime(path, ns=(os.stat(path).st_mtime_ns + 10**9,) * 2)

    watcher = Watcher([path], grader, debounce=0.0, sleep=sleep, record=False)
    assert watcher.run(lambda r, c: seen.append((r, c)), interval=0.01, max_changes=2) == 3
    assert seen[1][0].error and "not a readable notebook" in summary(seen[1][1], seen[1][0])[0]
    assert kinds(seen[2][1]) == {"softmax": "newly passing"}


def test_make_watch_once(tmp_path):
    path = tmp_path / f"{MODULE}.ipynb"
    save(path, {"softmax": REFERENCE["softmax"]})
    env = {**os.environ, "MLKATA_HOME": str(tmp_path / "home")}
    run = subprocess.run([sys.executable, "-m", "graders", "watch", str(path), "--once"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "10/100 points" in run.stdout and "newly passing: softmax" in run.stdout
