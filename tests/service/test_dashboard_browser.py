"""Item 6 of issue 18 in the real browser: the instructor logs in to /dashboard, a student's check sent
through the API appears on the page without a reload, and both gradebook exports download.

Debian's Chromium driven by the Python playwright package, as tests/learner/test_browser.py; skipped with
the reason when either is missing, a failure instead when MLKATA_REQUIRE_BROWSER is set (CI). The service
is `mlkata serve` in a subprocess on 127.0.0.1 (conftest.Service), stopped at the end.
"""
from __future__ import annotations

import csv
import io
import os
import sqlite3

import pytest
from conftest import REFERENCE_SOFTMAX, ROOT, Service, issue, write_config

CHROMIUM = os.environ.get("MLKATA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "tests" / "artifacts"
INT_TRUNCATED = (ROOT / "tests" / "modules" / "mistakes" / "02_math" / "softmax__int_truncated.py").read_text()


def requirements() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install -y chromium; or set MLKATA_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (.venv/bin/pip install -e '.[browser]')"
    return None


@pytest.fixture
def served(tmp_path):
    reason = requirements()
    if reason and os.environ.get("MLKATA_REQUIRE_BROWSER"):
        pytest.fail(f"MLKATA_REQUIRE_BROWSER is set (CI), but {reason}")
    if reason:
        pytest.skip(reason)
    config = write_config(tmp_path, workers=1)
    tokens = issue(config)
    svc = Service(config).start()
    yield svc, tokens
    svc.stop()


def check(svc, token, cell: str) -> dict:
    with svc.client(token) as client:
        response = client.post("/api/v1/check", json={"module": "02_math", "exercise": "softmax",
                                                      "cells": {"softmax": cell}})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "graded"
    return response.json()


def test_instructor_sees_checks_arrive_live_and_exports_the_gradebook(served, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    svc, tokens = served
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1300, "height": 900}, accept_downloads=True)
        page.set_default_timeout(60_000)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(f"{svc.url}/dashboard")
            page.fill("#token", tokens["ada"])                      # a student's token is refused
            page.click("#login button[type=submit]")
            expect(page.locator("#login-error")).to_contain_text("instructor token")
            page.fill("#token", tokens["instructor"])
            page.click("#login button[type=submit]")
            softmax = page.locator('#exercises tr[data-exercise="02_math/softmax"]')
            expect(softmax.locator(".attempted")).to_have_text("0")
            page.evaluate("window.__marker = 'no reload'")          # gone if the page were reloaded

            wrong = check(svc, tokens["ada"], INT_TRUNCATED)        # the student checks, through the API
            (mistake,) = wrong["result"]["exercises"][0]["mistakes"]
            expect(softmax.locator(".attempted")).to_have_text("1", timeout=20_000)
            expect(softmax.locator(".passed")).to_have_text("0")
            expect(page.locator(f'#mistakes tr[data-mistake="{mistake}"] .count')).to_have_text("1")
            ada = page.locator('#students tr[data-student="ada"]')
            expect(ada.locator(".checks")).to_have_text("1")

            right = check(svc, tokens["ada"], REFERENCE_SOFTMAX)
            expect(softmax.locator(".passed")).to_have_text("1", timeout=20_000)
            expect(ada.locator(".points")).to_contain_text(f"{right['points']:g} /")
            assert page.evaluate("window.__marker") == "no reload"

            with page.expect_download() as csv_download:
                page.click("#export-csv")
            csv_path = tmp_path / "gradebook.csv"
            csv_download.value.save_as(csv_path)
            rows = list(csv.DictReader(io.StringIO(csv_path.read_text())))
            assert [(r["student"], r["exercise"], float(r["points"])) for r in rows] == \
                [("ada", "softmax", right["points"])]

            with page.expect_download() as db_download:
                page.click("#export-nbgrader")
            db_path = tmp_path / "gradebook.db"
            db_download.value.save_as(db_path)
            assert db_download.value.suggested_filename.endswith(".db")
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "dashboard_failure.png"), full_page=True)
            raise
        finally:
            browser.close()
    assert errors == []
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db_path}", course_id="mlkata") as gb:
        grades = {g.name: g.score for g in gb.find_submission_notebook("02_math", "02_math", "ada").grades}
        assert grades["test_softmax"] == right["points"]
    with sqlite3.connect(db_path) as db:                          # a real SQLite file, nbgrader's schema
        assert db.execute("select count(*) from student").fetchone()[0] == 2
