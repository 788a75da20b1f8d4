"""grade --junit / --html: CI-readable XML and a self-contained page, never a hidden test."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from banks import submission

from graders.engine.paths import EXERCISES, ROOT
from graders.engine.results import CheckResult, ExerciseResult, GradeReport, NotebookResult, Status
from graders.render.html import report_html
from graders.render.junit import to_xml

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
