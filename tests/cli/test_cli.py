"""The CLI contract other tools depend on: table, --json schema, exit status."""
from __future__ import annotations

import json
import subprocess
import sys

from graders.engine.paths import ROOT


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "graders", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_grade_writes_the_json_contract(tmp_path):
    out = tmp_path / "report.json"
    broken = tmp_path / "broken.ipynb"
    broken.write_text("nope", encoding="utf-8")
    run = cli("grade", "exercises/02_math.ipynb", str(broken), "--json", str(out))
    assert run.returncode == 0, run.stderr
    assert "02_math" in run.stdout and "not attempted" in run.stdout
    data = json.loads(out.read_text())
    assert set(data) >= {"notebooks", "points", "max_points"}
    first, second = data["notebooks"]
    assert set(first) >= {"path", "module", "exercises"} and first["module"] == "02_math"
    for ex in first["exercises"]:
        assert set(ex) >= {"id", "points", "max_points", "status", "feedback"}
        assert ex["status"] in {"passed", "incorrect", "not_attempted", "error", "timeout"}
        assert ex["status"] == "not_attempted" and ex["points"] == 0 and isinstance(ex["feedback"], list)
    assert data["max_points"] == 100 and data["points"] == 0
    assert second["module"] is None and "not a readable notebook" in second["error"]


def test_default_grades_every_exercise_notebook():
    run = cli("grade")
    assert run.returncode == 0, run.stderr
    for path in sorted((ROOT / "exercises").glob("*.ipynb")):
        assert path.stem in run.stdout


def test_exit_status_is_nonzero_only_when_the_grader_cannot_run(tmp_path):
    assert cli("grade", str(tmp_path)).returncode == 1          # an empty folder: nothing to grade
    assert cli("no-such-command").returncode == 2
    assert cli("exercises", "--check").returncode == 0
