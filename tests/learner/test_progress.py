"""make progress: mastery per module and skill from the best scores, an offline HTML report."""
from __future__ import annotations

import os
import subprocess
import sys

from graders.engine.paths import ROOT
from graders.engine.registry import load
from graders.learner import history
from graders.learner.progress import compute, write_report
from graders.render.terminal_progress import print_progress

MATH = load("02_math")


def grade(exercise, points, status, time):
    return {"event": "grade", "source": "grade", "module": "02_math", "exercise": exercise, "points": points,
            "max_points": 10, "status": status, "time": time}


def test_progress_from_an_empty_history_is_all_zero(tmp_path, capsys):
    progress = compute([], [MATH])
    assert progress.points == 0 and progress.max_points == MATH.points
    assert progress.skills() == [("math", 0.0, MATH.points)] and progress.timeline == ()
    print_progress(progress)
    assert "No grades recorded yet" in capsys.readouterr().out
    page = write_report(progress, tmp_path / "p.html").read_text()
    assert "<svg" in page and "No grades recorded yet" in page and "<script" not in page and "http" not in \
        page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_mastery_counts_the_best_score_per_exercise():
    events = [grade("softmax", 10, "passed", "2026-01-01T10:00:00+00:00"),
              grade("softmax", 4, "incorrect", "2026-01-02T10:00:00+00:00"),       # a later regression
              grade("pca", 6, "incorrect", "2026-01-02T11:00:00+00:00"),
              grade("pca", 99, "passed", "2026-01-02T12:00:00+00:00"),             # clipped to the spec's points
              grade("nope", 10, "passed", "2026-01-02T12:00:00+00:00"),            # unknown: ignored
              {"event": "hint", "module": "02_math", "exercise": "pca", "tier": 2, "time": "x"},
              {"event": "solution", "module": "02_math", "exercise": "pca", "passed": False, "confirmed": True}]
    progress = compute(events, [MATH])
    (module,) = progress.modules
    by_id = {e.id: e for e in module.exercises}
    assert by_id["softmax"].points == 10 and by_id["softmax"].status == "passed"
    assert by_id["pca"].points == 10 and by_id["pca"].hints == 2 and by_id["pca"].solution_seen
    assert by_id["ridge_fit"].points == 0 and by_id["ridge_fit"].status == ""
    assert module.points == 20 and module.passed == 2
    assert [p for _, p in progress.timeline] == [10, 10, 16, 20]
    assert dict((s, p) for s, p, _ in progress.skills()) == {"math": 20}


def test_html_report_has_skill_bars_and_points_over_time(tmp_path):
    events = [grade("softmax", 10, "passed", "2026-01-01T10:00:00+00:00"),
              grade("logsumexp", 5, "incorrect", "2026-01-03T10:00:00+00:00")]
    page = write_report(compute(events, [MATH]), tmp_path / "report.html").read_text()
    assert page.count("<svg") == 2 and "<polyline" in page and "mastery per skill" in page
    assert "15/100" in page and "softmax" in page and "2026-01-01" in page


def test_modules_whose_grader_cannot_load_are_left_out(monkeypatch):
    from graders.learner import progress as progress_module

    monkeypatch.setattr(progress_module.registry, "module_ids", lambda: ["02_math", "99_broken"])
    progress = compute([])
    assert [m.id for m in progress.modules] == ["02_math"] and progress.skipped == ("99_broken",)


def test_make_progress_works_with_no_history(tmp_path):
    env = {**os.environ, "MLKATA_HOME": str(tmp_path / "home")}
    run = subprocess.run([sys.executable, "-m", "graders", "progress"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Mastery per skill" in run.stdout and "progress.html" in run.stdout
    assert (tmp_path / "home" / "progress.html").exists()
    assert not (tmp_path / "home" / history.FILE_NAME).exists()     # reading never creates the history


def test_finer_exercise_skills_are_shown_inside_their_area():
    from graders.engine.spec import Check, Exercise, Module

    def exercise(name, skill):
        return Exercise(name, (Check("c", 10, [], judge=lambda cases, value: None),), skill=skill)

    features = Module("04_x", "1", "Features", "features",
                      (exercise("clean", "data-cleaning"), exercise("leak", "leakage"), exercise("plain", "features")))
    events = [grade("softmax", 10, "passed", "2026-01-01T10:00:00+00:00"),
              {**grade("leak", 10, "passed", "2026-01-01T11:00:00+00:00"), "module": "04_x"}]
    progress = compute(events, [MATH, features])
    assert progress.skills() == [("math", 10, 100), ("features", 10, 30)]
    assert progress.skill_rows()[2:] == [("features", "data-cleaning", 0, 10), ("features", "leakage", 10, 10)]
