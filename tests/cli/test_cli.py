"""The CLI contract other tools depend on: table, --json schema, exit status."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from graders.engine.paths import ROOT


def cli(*args, cwd=ROOT):
    env = {**os.environ, "COLUMNS": "250"}          # wide enough that no report line wraps
    return subprocess.run([sys.executable, "-m", "graders", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_grade_writes_the_json_contract(tmp_path):
    out = tmp_path / "report.json"
    broken = tmp_path / "broken.ipynb"
    broken.write_text("nope", encoding="utf-8")
    run = cli("grade", "exercises/02_math.ipynb", str(broken), "--json", str(out))
    assert run.returncode == 0, run.stderr
    data = json.loads(out.read_text())
    assert set(data) >= {"notebooks", "points", "max_points"}
    first, second = data["notebooks"]
    assert set(first) >= {"path", "module", "exercises"} and first["module"] == "02_math"
    for ex in first["exercises"]:
        assert set(ex) >= {"id", "points", "max_points", "status", "feedback", "mistakes", "checks"}
        assert ex["status"] in {"passed", "incorrect", "not_attempted", "error", "timeout", "skipped"}
        assert ex["status"] == "not_attempted" and ex["points"] == 0 and isinstance(ex["feedback"], list)
        for check in ex["checks"]:                     # every check keeps its own record
            assert set(check) == {"title", "status", "points", "max_points", "message", "mistake"}
            assert check["status"] == "not_attempted" and check["message"]
    # the terminal: a summary line, one line naming the exercises not attempted, no table, no progress codes
    ids = ", ".join(ex["id"] for ex in first["exercises"])
    n = len(first["exercises"])
    lines = run.stdout.splitlines()
    assert lines[:2] == [f"02_math  0/100 points · 0 passed · 0 incorrect · {n} not attempted",
                         f"  not attempted: {ids}"]
    assert "│" not in run.stdout and "\x1b" not in run.stdout + run.stderr and "grading" not in run.stderr
    assert any(line.startswith("✗ ") and "broken.ipynb" in line for line in lines)
    assert data["max_points"] == 100 and data["points"] == 0
    assert second["module"] is None and "not a readable notebook" in second["error"]


def test_default_grades_every_exercise_notebook():
    run = cli("grade", "--no-history")
    assert run.returncode == 0, run.stderr
    notebooks = sorted((ROOT / "exercises").glob("*.ipynb"))
    summaries = [line for line in run.stdout.splitlines() if " points · " in line]
    assert [line.split()[0] for line in summaries] == [p.stem for p in notebooks] + ["Total"]
    assert run.stdout.count("not attempted: ") == len(notebooks)


def test_exit_status_is_nonzero_only_when_the_grader_cannot_run(tmp_path):
    assert cli("grade", str(tmp_path)).returncode == 1          # an empty folder: nothing to grade
    assert cli("no-such-command").returncode == 2
    assert cli("exercises", "--check").returncode == 0


PROGRAM = """
import atexit, sys
class Teardown:
    def __del__(self):
        sys.stdout.write("torn down\\n")
keep = Teardown()
atexit.register(lambda: sys.stdout.write("exit handlers ran\\n"))
from graders.cli import {entry}
sys.exit({entry}(sys.argv[1:]))
"""


def test_the_program_skips_the_interpreters_teardown_but_not_its_exit_handlers(tmp_path):
    """`mlkata` leaves with os._exit once its exit handlers ran (tearing torch down cost 0.4-0.5 s of a grade):
    the report is all there, the sandbox parent and the grader's temporary files are gone, the status kept."""
    env = {**os.environ, "COLUMNS": "250", "TMPDIR": str(tmp_path)}

    def program(entry, *args):
        return subprocess.run([sys.executable, "-c", PROGRAM.format(entry=entry), *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)

    done = program("run", "grade", "--no-history", "solutions/10_vision.ipynb")
    assert done.returncode == 0, done.stderr
    assert "10_vision  80/80 points · 8 passed" in done.stdout and done.stdout.endswith("exit handlers ran\n"), done.stdout
    assert "torn down" not in done.stdout
    assert list(tmp_path.iterdir()) == []          # the grader's files folder went with its exit handler
    assert program("run", "grade", str(tmp_path)).returncode == 1
    assert "torn down" in program("main", "grade", str(tmp_path)).stdout    # what the test would see without it
