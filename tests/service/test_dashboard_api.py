"""Item 6 of issue 18, without a browser: the dashboard's JSON (class aggregates for a known set of real
gradings), the nbgrader gradebook export read back with nbgrader's API, and who may read them.

The store is filled the way the workers fill it (add, claim, finish) with results graded for real by
``grade_payload``; the app runs in-process with a dispatcher that grades nothing more.
"""
from __future__ import annotations

import csv
import io

import pytest
from conftest import REFERENCE_SOFTMAX, ROOT, write_config
from fastapi.testclient import TestClient

from graders.engine.runner import Grader
from graders.engine.trust import untrusted_grading
from graders.service.api import create_app
from graders.service.config import load_config
from graders.service.content import reference_source
from graders.service.grading import grade_payload
from graders.service.security import issue_tokens
from graders.service.store import Store

BANK = ROOT / "tests" / "modules" / "mistakes" / "02_math"
INT_TRUNCATED = (BANK / "softmax__int_truncated.py")
NAIVE_LSE = BANK / "logsumexp__naive.py"
# (student, exercise, answer cell) in the order they arrive
CHECKS = [("ada", "softmax", INT_TRUNCATED.read_text()), ("grace", "softmax", INT_TRUNCATED.read_text()),
          ("ada", "softmax", REFERENCE_SOFTMAX), ("grace", "logsumexp", NAIVE_LSE.read_text()),
          ("ada", "logsumexp", reference_source("02_math", "logsumexp")),
          ("ada", "softmax", INT_TRUNCATED.read_text())]      # a worse check later: the best one counts


class Idle:
    def start(self): pass
    def submit(self, sid): pass
    def stop(self): pass


def mistake_id(path):
    return path.read_text().splitlines()[0].removeprefix("# mistake:").strip()


@pytest.fixture(scope="module")
def graded():
    with untrusted_grading(), Grader() as grader:
        return [grade_payload("02_math", {ex: src}, None, ex, grader=grader) for _, ex, src in CHECKS]


@pytest.fixture
def api(tmp_path, graded):
    config = load_config(write_config(tmp_path))
    store = Store(config.db_url)
    tokens = issue_tokens(store, config.roster, instructor=True)
    for (student, ex, src), result in zip(CHECKS, graded):
        sid = store.add(student, "02_math", ex, {"cells": {ex: src}})
        assert store.claim(sid)
        store.finish(sid, result)
    with TestClient(create_app(config, dispatcher=Idle())) as client:
        client.tokens = tokens
        yield client


def get(client, path, who):
    return client.get(path, headers={"Authorization": f"Bearer {client.tokens[who]}"})


def test_the_gradings_are_what_the_test_assumes(graded):
    statuses = [r["exercises"][0]["status"] for r in graded]
    assert statuses == ["incorrect", "incorrect", "passed", "incorrect", "passed", "incorrect"]
    assert mistake_id(INT_TRUNCATED) in graded[0]["exercises"][0]["mistakes"]
    assert mistake_id(NAIVE_LSE) in graded[3]["exercises"][0]["mistakes"]


def test_progress_aggregates_per_exercise(api, graded):
    body = get(api, "/api/v1/admin/progress", "instructor").json()
    rows = {e["exercise"]: e for e in body["exercises"]}
    softmax_max = graded[2]["exercises"][0]["max_points"]
    grace_lse = graded[3]["exercises"][0]["points"]
    grace_softmax = graded[1]["exercises"][0]["points"]
    lse_max = graded[4]["exercises"][0]["max_points"]
    assert rows["softmax"] == {"module": "02_math", "exercise": "softmax", "max_points": softmax_max,
                                     "attempted": 2, "passed": 1,
                                     "mean_points": pytest.approx((softmax_max + grace_softmax) / 2)}
    assert rows["logsumexp"]["attempted"] == 2 and rows["logsumexp"]["passed"] == 1
    assert rows["logsumexp"]["mean_points"] == pytest.approx((lse_max + grace_lse) / 2)
    untouched = [e for name, e in rows.items() if name not in ("softmax", "logsumexp")]
    assert untouched and all(e["attempted"] == 0 and e["mean_points"] is None for e in untouched)
    assert body["submissions"] == len(CHECKS) and body["queued"] == 0 and body["failed"] == 0


def test_progress_counts_named_mistakes_and_students(api):
    body = get(api, "/api/v1/admin/progress", "instructor").json()
    mistakes = {m["mistake"]: m for m in body["mistakes"]}
    assert mistakes[mistake_id(INT_TRUNCATED)] == {"module": "02_math", "exercise": "softmax",
                                                   "mistake": mistake_id(INT_TRUNCATED), "count": 3, "students": 2}
    assert mistakes[mistake_id(NAIVE_LSE)]["count"] == 1 and mistakes[mistake_id(NAIVE_LSE)]["students"] == 1
    assert body["mistakes"][0]["mistake"] == mistake_id(INT_TRUNCATED)       # most frequent first


def test_progress_has_a_row_per_student(api, graded):
    body = get(api, "/api/v1/admin/progress", "instructor").json()
    rows = {r["student"]: r for r in body["rows"]}
    assert list(rows) == ["ada", "grace"]
    full = graded[2]["exercises"][0]["max_points"] + graded[4]["exercises"][0]["max_points"]
    assert rows["ada"]["points"] == pytest.approx(full) and rows["ada"]["passed"] == 2
    assert rows["ada"]["submissions"] == 4 and rows["grace"]["submissions"] == 2
    assert rows["grace"]["passed"] == 0 and rows["grace"]["attempted"] == 2
    assert rows["ada"]["max_points"] == sum(e["max_points"] for e in body["exercises"])


def test_nbgrader_export_reads_back_with_nbgrader(api, graded, tmp_path):
    from nbgrader.api import Gradebook

    response = get(api, "/api/v1/admin/export.nbgrader.db", "instructor")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    path = tmp_path / "gradebook.db"
    path.write_bytes(response.content)
    with Gradebook(f"sqlite:///{path}", course_id="mlkata") as gb:
        assert sorted(s.id for s in gb.students) == ["ada", "grace"]
        assignment = gb.find_assignment("02_math")
        (notebook,) = assignment.notebooks
        cells = {c.name: c.max_score for c in notebook.grade_cells}
        assert cells["test_softmax"] == graded[2]["exercises"][0]["max_points"]
        ada = gb.find_submission_notebook("02_math", "02_math", "ada")
        grace = gb.find_submission_notebook("02_math", "02_math", "grace")
        scores = {g.name: g.score for g in ada.grades}
        assert scores["test_softmax"] == cells["test_softmax"] and scores["test_logsumexp"] == cells["test_logsumexp"]
        assert {g.name: g.score for g in grace.grades}["test_logsumexp"] == graded[3]["exercises"][0]["points"]
        assert ada.score == pytest.approx(cells["test_softmax"] + cells["test_logsumexp"])


def test_csv_and_nbgrader_exports_agree(api):
    table = list(csv.DictReader(io.StringIO(get(api, "/api/v1/admin/export.csv", "instructor").text)))
    progress = get(api, "/api/v1/admin/progress", "instructor").json()
    by_student = {r["student"]: r["exercises"] for r in progress["rows"]}
    assert {(r["student"], f"{r['module']}/{r['exercise']}"): float(r["points"]) for r in table} == \
        {(s, k): v for s, exercises in by_student.items() for k, v in exercises.items()}


@pytest.mark.parametrize("path", ["/api/v1/admin/progress", "/api/v1/admin/export.nbgrader.db"])
def test_students_and_strangers_cannot_read_the_class(api, path):
    assert get(api, path, "ada").status_code == 403
    assert api.get(path).status_code == 401
    assert api.get(path, headers={"Authorization": "Bearer mk_wrong"}).status_code == 401


def test_the_page_and_its_files_are_served_offline_with_a_strict_policy(api):
    page = api.get("/dashboard")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text          # nothing from a CDN
    for name in ("dashboard.js", "dashboard.css"):
        assert api.get(f"/dashboard/static/{name}").status_code == 200
    assert "/api/v1/admin/progress" in api.get("/dashboard/static/dashboard.js").text
    for trick in ("../api.py", "..%2Fapi.py", "dashboard.html%00.js", "store.py"):
        assert api.get(f"/dashboard/static/{trick}").status_code == 404


def test_the_openapi_schema_documents_the_dashboard_api(api):
    schema = api.get("/openapi.json").json()
    progress = schema["paths"]["/api/v1/admin/progress"]["get"]["responses"]["200"]["content"]["application/json"]
    assert progress["schema"]["$ref"].endswith("/ClassProgress")
    assert {"ExerciseProgress", "MistakeCount", "StudentRow"} <= set(schema["components"]["schemas"])
    assert "application/vnd.sqlite3" in \
        schema["paths"]["/api/v1/admin/export.nbgrader.db"]["get"]["responses"]["200"]["content"]
    assert "/dashboard" not in schema["paths"]                   # the page is not part of the API


def test_nbgrader_export_works_in_the_course_mlkata_course_builds(api, graded, tmp_path):
    """Dropped into the folder `mlkata course` builds, nbgrader's own `export` reads the gradebook."""
    import os
    import subprocess
    import sys

    from graders.instructor.course import build_course

    course = tmp_path / "course"
    build_course(course, ["02_math"])
    (course / "gradebook.db").write_bytes(get(api, "/api/v1/admin/export.nbgrader.db", "instructor").content)
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
           "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "nbgrader", "export"], check=False, cwd=course, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    rows = {r["student_id"]: r for r in csv.DictReader((course / "grades.csv").open())}
    best = graded[2]["exercises"][0]["points"] + graded[4]["exercises"][0]["points"]
    assert rows["ada"]["assignment"] == "02_math" and float(rows["ada"]["score"]) == pytest.approx(best)
    assert float(rows["grace"]["score"]) == pytest.approx(graded[1]["exercises"][0]["points"]
                                                           + graded[3]["exercises"][0]["points"])
    assert float(rows["ada"]["max_score"]) == sum(e["max_points"] for e in
                                                  get(api, "/api/v1/admin/progress", "instructor").json()["exercises"])


def test_queued_and_failed_submissions_count_as_such_not_as_attempts(api):
    before = get(api, "/api/v1/admin/progress", "instructor").json()
    store = api.app.state.store
    store.add("grace", "02_math", "pca", {"cells": {"pca": "def pca(x, k):\n    return x\n"}})     # waits
    crashed = store.add("grace", "02_math", "pca", {"cells": {"pca": "def pca(x, k):\n    return x\n"}})
    assert store.claim(crashed) and not store.fail(crashed, "the sandbox died", max_attempts=1)
    after = get(api, "/api/v1/admin/progress", "instructor").json()     # the cache notices the new rows
    assert (after["submissions"], after["queued"], after["failed"]) == (before["submissions"] + 2, 1, 1)
    assert after["exercises"] == before["exercises"]
    assert {r["student"]: r["submissions"] for r in after["rows"]}["grace"] == 4
