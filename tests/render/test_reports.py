"""The grade reports: a short terminal view, CI-readable XML and a self-contained page, never a hidden test."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import escape

from banks import bank, submission
from rich.console import Console

from graders.engine.notebook import read_submission
from graders.engine.paths import EXERCISES, ROOT
from graders.engine.results import CheckResult, ExerciseResult, GradeReport, NotebookResult, Status
from graders.render import json_report
from graders.render.html import report_html
from graders.render.junit import to_xml
from graders.render.terminal import grading_progress, print_report

MODULE = "02_math"
MIXED = {"logsumexp": "def logsumexp(z, axis=None, keepdims=False):\n    raise NotImplementedError()\n",
         "pca": "def pca(X, k):\n    return 1 / 0\n",
         "softmax": "import numpy as np\ndef softmax(z, axis=-1):\n    e = np.exp(z)\n"
                    "    return e / e.sum(axis=axis, keepdims=True)\n"}


def mixed_report(grader) -> GradeReport:
    broken = NotebookResult("broken.ipynb", None, error="broken.ipynb is not a readable notebook")
    return GradeReport((grader.grade(submission(MODULE, MIXED)), broken))


def test_junit_has_a_suite_per_notebook_and_a_case_per_exercise(grader):
    report = mixed_report(grader)
    root = ET.fromstring(to_xml(report))
    suite, broken = root.findall("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert suite.get("name") == f"mlkata.{MODULE}" and len(cases) == len(report.notebooks[0].exercises)
    assert cases["ridge_fit"].find("failure") is None and cases["ridge_fit"].find("error") is None
    assert cases["softmax"].find("failure").get("type") == "incorrect"
    assert "subtract the maximum" in cases["softmax"].find("failure").text
    assert cases["logsumexp"].find("failure").get("type") == "not_attempted"
    assert cases["pca"].find("error").get("type") == "error" and "ZeroDivisionError" in cases["pca"].find("error").text
    assert int(suite.get("failures")) == 2 and int(suite.get("errors")) == 1 and int(suite.get("tests")) == 10
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["max_points"] == "100" and float(props["points"]) == report.notebooks[0].points
    assert broken.find("testcase/error").get("message").startswith("broken.ipynb is not")
    assert int(root.get("errors")) == 2


def test_reports_escape_learner_text_and_drop_invalid_xml_characters():
    evil = "<script>alert(1)</script> \x00\x1b & done"
    ex = ExerciseResult("softmax", (CheckResult("t", Status.ERROR, 0, 10, evil),))
    report = GradeReport((NotebookResult("nb.ipynb", MODULE, (ex,)),))
    root = ET.fromstring(to_xml(report))                       # parses: no raw control characters
    assert "<script>" in root.find("testsuite/testcase/error").text.replace("?", "")
    page = report_html(report)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_html_report_is_self_contained(grader):
    page = report_html(mixed_report(grader))
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "http" not in page
    assert "softmax" in page and "not attempted" in page and "subtract the maximum" in page


def test_reports_never_carry_hidden_tests_or_references(grader):
    report = mixed_report(grader)
    for text in (to_xml(report), report_html(report)):
        for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "softmax_ref", "graders.modules", "e.sum(axis=axis"):
            assert marker not in text


def test_cli_writes_junit_html_and_keeps_the_json_contract(tmp_path):
    files = {kind: tmp_path / f"report.{kind}" for kind in ("json", "junit", "html")}
    env = {**os.environ, "MLKATA_HOME": str(tmp_path / "home")}
    run = subprocess.run([sys.executable, "-m", "graders", "grade", str(EXERCISES / f"{MODULE}.ipynb"),
                          *(arg for kind, path in files.items() for arg in (f"--{kind}", str(path)))],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    data = json.loads(files["json"].read_text())
    assert set(data) >= {"notebooks", "points", "max_points"} and data["points"] == 0
    suite = ET.parse(files["junit"]).getroot().find("testsuite")
    assert suite.get("failures") == suite.get("tests") == str(len(data["notebooks"][0]["exercises"]))
    assert "not attempted" in files["html"].read_text()


# ---------------------------------------------------------------- the terminal report a newcomer reads
def terminal(report, width: int = 200) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, record=True)
    print_report(report, console)
    return console.export_text()


def repeated_mistake_report(grader):
    """gradient_descent storing one array n_steps times: several checks recognise the same mistake."""
    (entry,) = [e for e in bank(MODULE, "mistakes") if e.exercise == "gradient_descent" and e.mistake == "aliasing"]
    result = grader.grade(submission(MODULE, {entry.exercise: entry.source}), only=[entry.exercise])
    (ex,) = result.exercises
    seen = [c for c in ex.checks if c.mistake == entry.mistake]
    assert len(seen) > 1, "the bank entry no longer shows the same mistake in several checks"
    return GradeReport((result,)), ex, seen


def test_a_fresh_notebook_is_one_summary_line_and_one_not_attempted_line(grader):
    result = grader.grade(read_submission(EXERCISES / f"{MODULE}.ipynb"))
    ids = [ex.id for ex in result.exercises]
    lines = terminal(GradeReport((result,))).splitlines()
    assert lines[0] == f"{MODULE}  0/100 points · 0 passed · 0 incorrect · {len(ids)} not attempted"
    assert lines[1].strip() == "not attempted: " + ", ".join(ids)
    assert not any("│" in line or "NotImplementedError." in line for line in lines)      # no per-exercise rows
    assert lines[2].startswith("Nothing attempted yet")


def test_attempted_exercises_get_rows_and_the_summary_counts_every_status(grader):
    result = grader.grade(submission(MODULE, MIXED))
    text = terminal(GradeReport((result, result)))
    n = len(result.exercises)
    summary = f"{MODULE}  {result.points:g}/100 points · {n - 3} passed · 1 incorrect · 1 error · 1 not attempted"
    # a notebook outside exercises/ (a copy, a student's submission) is named by its path
    assert text.splitlines()[0] == f"{summary}  ({result.path})" and text.count(summary) == 2
    rows = {line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│")} - {""}
    assert rows == {ex.id for ex in result.exercises} - {"logsumexp"}
    assert [line.strip() for line in text.splitlines() if "not attempted:" in line] == ["not attempted: logsumexp"] * 2
    assert "subtract the maximum" in text and "ZeroDivisionError" in text
    total = f"Total  {2 * result.points:g}/200 points · {2 * (n - 3)} passed · 2 incorrect · 2 errors · 2 not attempted"
    assert total in text.splitlines()


def test_a_mistake_repeated_across_checks_is_said_once_naming_the_checks(grader):
    report, ex, seen = repeated_mistake_report(grader)
    slip = "every row of your trajectory is the same array"
    named = f"(seen in {len(seen)} checks: {'; '.join(c.title for c in seen)})"
    text = " ".join(terminal(report, width=2000).split())         # one line per feedback item, unwrapped
    assert text.count(slip) == 1 and named in text
    page = report_html(report)
    assert page.count(slip) == 1 and escape(named) in page
    # the reports that keep every detail still carry each check's own message
    checks = json_report.to_dict(report)["notebooks"][0]["exercises"][0]["checks"]
    assert [c["message"] for c in checks if c["title"] in {s.title for s in seen}] == [s.message for s in seen]
    assert ET.fromstring(to_xml(report)).find("testsuite/testcase/failure").text.count(slip) == len(seen)
    assert len(json_report.to_dict(report)["notebooks"][0]["exercises"][0]["feedback"]) == len(ex.feedback)


def test_progress_shows_on_a_terminal_only_and_is_gone_before_the_report(grader, tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("nope", encoding="utf-8")
    paths = [EXERCISES / f"{MODULE}.ipynb", broken]
    seen = []
    tty = Console(file=io.StringIO(), force_terminal=True, width=100)
    with grading_progress(paths, tty) as graded:
        report = grader.grade_paths(paths, on_graded=lambda nb: (seen.append(nb.path), graded(nb)))
    assert seen == [str(p) for p in paths] == [nb.path for nb in report.notebooks]   # once each, in order
    drawn = tty.file.getvalue()
    assert "grading" in drawn and "2/2" in drawn and drawn.rstrip().endswith("\x1b[2K")   # erased at the end
    piped = Console(file=io.StringIO(), width=100)                                          # not a terminal
    with grading_progress(paths, piped) as graded:
        graded(report.notebooks[0])
    assert piped.file.getvalue() == ""


def test_the_json_report_reads_back_into_the_same_result(grader):
    """The grading service stores this JSON and renders check()'s view from it: the round trip keeps every
    status, point, message, mistake id and note (a grader error reads back as the public "error")."""
    for nb in mixed_report(grader).notebooks + repeated_mistake_report(grader)[0].notebooks:
        back = json_report.notebook_from_dict(json.loads(json.dumps(json_report.notebook_dict(nb))))
        assert json_report.notebook_dict(back) == json_report.notebook_dict(nb)
        assert [e.feedback for e in back.exercises] == [e.feedback for e in nb.exercises]
        assert [e.mistakes for e in back.exercises] == [e.mistakes for e in nb.exercises]
