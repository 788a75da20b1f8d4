"""grade-batch: a class in nbgrader's submitted/ layout, one gradebook, broken files reported."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from graders.engine.paths import EXERCISES, SOLUTIONS
from graders.instructor.batch import find_submissions, grade_batch, gradebook_rows

MODULE = "02_math"


def make_class(root: Path) -> Path:
    submitted = root / "submitted"
    for student, source in [("ada", SOLUTIONS), ("bo", EXERCISES)]:
        folder = submitted / student / MODULE
        folder.mkdir(parents=True)
        (folder / f"{MODULE}.ipynb").write_bytes((source / f"{MODULE}.ipynb").read_bytes())
        (folder / "timestamp.txt").write_text("2026-11-26 10:00:00")
    broken = submitted / "cy" / MODULE
    broken.mkdir(parents=True)
    (broken / f"{MODULE}.ipynb").write_text("{ not a notebook")
    return root


def test_finds_every_submission_from_the_course_or_the_submitted_folder(tmp_path):
    root = make_class(tmp_path)
    found = find_submissions(root)
    assert [(s, a) for s, a, _ in found] == [("ada", MODULE), ("bo", MODULE), ("cy", MODULE)]
    assert find_submissions(root / "submitted") == found


def test_batch_grades_everyone_and_reports_the_broken_one(tmp_path):
    root = make_class(tmp_path)
    seen = []
    graded = grade_batch(root, workers=2, on_done=lambda g: seen.append(g.student))
    assert sorted(seen) == ["ada", "bo", "cy"]
    by_student = {g.student: g.result for g in graded}
    assert by_student["ada"].points == by_student["ada"].max_points == 100
    assert by_student["bo"].points == 0 and by_student["bo"].max_points == 100
    assert "not a readable notebook" in by_student["cy"].error
    rows = gradebook_rows(graded)
    assert sum(r["student"] == "ada" for r in rows) == 10
    assert [r for r in rows if r["student"] == "cy"][0]["status"].startswith("error")


def test_a_class_is_graded_as_untrusted_code_and_the_setting_ends_with_the_batch(tmp_path, monkeypatch):
    """grade-batch grades other people's code: checks that cannot keep it boxed (Spark's JVM) are skipped."""
    from graders.engine import runner
    from graders.engine.trust import UNTRUSTED_ENV, grading_untrusted

    monkeypatch.delenv(UNTRUSTED_ENV, raising=False)
    seen = []
    real = runner.Grader.grade_paths

    def spy(self, paths, **kwargs):
        seen.append(grading_untrusted())
        return real(self, paths, **kwargs)

    monkeypatch.setattr(runner.Grader, "grade_paths", spy)
    grade_batch(make_class(tmp_path), workers=1)
    assert seen == [True, True, True]
    assert not grading_untrusted()


def test_cli_writes_csv_and_json_gradebooks(tmp_path):
    root = make_class(tmp_path)
    run = subprocess.run([sys.executable, "-m", "graders", "grade-batch", str(root / "submitted"),
                          "--csv", str(tmp_path / "g.csv"), "--json", str(tmp_path / "g.json")],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "graded 3 submissions (1 could not be graded)" in run.stderr
    rows = list(csv.DictReader(open(tmp_path / "g.csv")))
    assert set(rows[0]) == {"student", "assignment", "module", "exercise", "points", "max_points", "status"}
    assert sum(float(r["points"]) for r in rows if r["student"] == "ada") == 100
    data = json.loads((tmp_path / "g.json").read_text())
    assert [s["student"] for s in data["submissions"]] == ["ada", "bo", "cy"]
    assert data["points"] == 100 and data["max_points"] == 200


def test_each_worker_launches_its_sandbox_parent_before_it_imports_the_specs(tmp_path, monkeypatch):
    """A class's fixed cost: the parent's imports (the learners' libraries) overlap the worker's own (the
    specs and their oracles) instead of following them."""
    from graders.engine import registry, runner

    events = []
    real_launch, real_load = runner.Grader.launch_early, registry.load

    def launch_early(self, module_ids):
        real_launch(self, module_ids)
        zygote = self._zygote
        events.append(("launched", list(module_ids), zygote is not None and zygote._proc is not None,
                       zygote and zygote.preload))

    def load(module_id):
        events.append(("spec", module_id))
        return real_load(module_id)

    monkeypatch.setattr(runner.Grader, "launch_early", launch_early)
    monkeypatch.setattr(registry, "load", load)
    graded = grade_batch(make_class(tmp_path), workers=1)
    assert {g.student: g.result.points for g in graded}["ada"] == 100
    assert events[0][0] == "launched"                # before the worker's first spec import
    _, modules, launched, preload = events[0]
    assert modules == [MODULE]                       # the broken notebook names none
    assert launched
    assert set(registry.declared_preload(MODULE)) <= set(preload)
