"""Item 3 of issue 18: every attack gets a clear HTTP error and changes nothing in the store.

The app runs in-process (FastAPI's TestClient drives the real ASGI app, middleware included) with a
dispatcher that only records what it was handed: no grading is needed to refuse a request.
"""
from __future__ import annotations

import json

import pytest
from conftest import REFERENCE_SOFTMAX, ROOT, write_config
from fastapi.testclient import TestClient

from graders.service.api import create_app
from graders.service.config import load_config
from graders.service.security import issue_tokens
from graders.service.store import Store


class Recording:
    def __init__(self):
        self.handed = []

    def start(self):
        pass

    def submit(self, sid):
        self.handed.append(sid)

    def stop(self):
        pass


@pytest.fixture
def api(tmp_path):
    config = load_config(write_config(tmp_path, limits={"max_body_bytes": 200_000, "checks_per_minute": 5}))
    tokens = issue_tokens(Store(config.db_url), config.roster, instructor=True)
    dispatcher = Recording()
    with TestClient(create_app(config, dispatcher=dispatcher)) as client:
        client.tokens, client.dispatcher, client.store = tokens, dispatcher, client.app.state.store
        yield client


def auth(client, who):
    return {"Authorization": f"Bearer {client.tokens[who]}"}


def body(**extra):
    return {"module": "02_math", "exercise": "softmax", "cells": {"softmax": REFERENCE_SOFTMAX}, **extra}


def snapshot(client):
    return client.store.list(), list(client.dispatcher.handed)


def refused(client, response, status, words):
    assert response.status_code == status, response.text
    assert words in response.json()["detail"] if isinstance(response.json()["detail"], str) else \
        words in json.dumps(response.json()["detail"])


def test_no_token_and_a_wrong_token_are_401_and_store_nothing(api):
    before = snapshot(api)
    r = api.post("/api/v1/submissions", json=body())
    refused(api, r, 401, "no token")
    assert r.headers["www-authenticate"] == "Bearer"
    refused(api, api.post("/api/v1/submissions", json=body(), headers={"Authorization": "Bearer mk_guess"}),
            401, "unknown token")
    refused(api, api.get("/api/v1/me/submissions", headers={"Authorization": "Basic YWRhOmFkYQ=="}), 401, "no token")
    assert snapshot(api) == before


def test_tokens_are_stored_hashed(api):
    from sqlalchemy import text

    with api.store.engine.connect() as db:
        stored = {row[0] for row in db.execute(text("SELECT token_hash FROM students"))}
    assert not set(api.tokens.values()) & stored
    assert all(len(h) == 64 for h in stored if h)


def test_a_student_reads_only_their_own_results(api):
    sid = api.post("/api/v1/submissions", json=body(), headers=auth(api, "ada")).json()["id"]
    assert api.get(f"/api/v1/submissions/{sid}", headers=auth(api, "ada")).status_code == 200
    theirs = api.get(f"/api/v1/submissions/{sid}", headers=auth(api, "grace"))
    refused(api, theirs, 404, f"no submission {sid} of yours")
    assert api.get(f"/api/v1/submissions/{sid + 1000}", headers=auth(api, "grace")).json() == \
        {"detail": f"no submission {sid + 1000} of yours"}       # "not yours" reads as "not there"
    assert [s["id"] for s in api.get("/api/v1/me/submissions", headers=auth(api, "grace")).json()] == []
    assert api.get(f"/api/v1/submissions/{sid}", headers=auth(api, "instructor")).status_code == 200


def test_the_admin_api_needs_the_instructor_token(api):
    before = snapshot(api)
    for method, path in (("post", "/api/v1/admin/tokens"), ("get", "/api/v1/admin/submissions"),
                         ("get", "/api/v1/admin/export.csv")):
        r = getattr(api, method)(path, headers=auth(api, "ada"), **({"json": {}} if method == "post" else {}))
        refused(api, r, 403, "instructor token")
    assert api.get("/api/v1/me/submissions", headers=auth(api, "ada")).status_code == 200   # her token still works
    assert snapshot(api) == before


def test_an_oversized_notebook_is_413_and_stores_nothing(api):
    nb = json.loads((ROOT / "exercises" / "02_math.ipynb").read_text())
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "x" * 300_000})
    before = snapshot(api)
    r = api.post("/api/v1/submissions", json={"module": "02_math", "notebook": nb}, headers=auth(api, "ada"))
    refused(api, r, 413, "over the course limit of 200000 bytes")
    # a client that lies about the length (chunked upload) is cut off too
    chunks = (json.dumps({"module": "02_math", "notebook": nb}).encode()[i:i + 65536] for i in range(0, 400_000, 65536))
    r = api.post("/api/v1/submissions", content=chunks, headers={**auth(api, "ada"), "content-type": "application/json"})
    assert r.status_code == 413
    assert snapshot(api) == before


@pytest.mark.parametrize("notebook, words", [
    ({"cells": "not a list", "nbformat": 4, "nbformat_minor": 5, "metadata": {}}, "not a valid notebook"),
    ({"nbformat": 4, "nbformat_minor": 5, "metadata": {}}, "not a valid notebook"),
    ({"cells": [{"cell_type": "code", "source": 3}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}},
     "not a valid notebook"),
])
def test_a_malformed_notebook_is_422_and_stores_nothing(api, notebook, words):
    before = snapshot(api)
    r = api.post("/api/v1/submissions", json={"module": "02_math", "notebook": notebook}, headers=auth(api, "ada"))
    refused(api, r, 422, words)
    r = api.post("/api/v1/submissions", content=b"{not json", headers={**auth(api, "ada"),
                                                                        "content-type": "application/json"})
    assert r.status_code == 422
    assert snapshot(api) == before


def test_a_notebook_of_another_module_and_unknown_cells_are_422(api):
    nb = json.loads((ROOT / "exercises" / "03_algorithms.ipynb").read_text())
    before = snapshot(api)
    refused(api, api.post("/api/v1/submissions", json={"module": "02_math", "notebook": nb}, headers=auth(api, "ada")),
            422, "not '02_math'")
    refused(api, api.post("/api/v1/submissions", json={"module": "02_math", "cells": {"os_system": "x"}},
                          headers=auth(api, "ada")), 422, "no answer cell 'os_system'")
    assert snapshot(api) == before


def test_a_flood_of_checks_is_429_after_the_limit_and_the_extra_ones_are_not_stored(api):
    codes = [api.post("/api/v1/submissions", json=body(), headers=auth(api, "ada")).status_code for _ in range(8)]
    assert codes == [202] * 5 + [429] * 3
    r = api.post("/api/v1/submissions", json=body(), headers=auth(api, "ada"))
    refused(api, r, 429, "at most 5 a minute")
    assert int(r.headers["retry-after"]) >= 1
    assert len(api.store.list(student="ada")) == 5 and len(api.dispatcher.handed) == 5
    # another student is not slowed down by her flood
    assert api.post("/api/v1/submissions", json=body(), headers=auth(api, "grace")).status_code == 202


@pytest.mark.parametrize("field, value", [
    ("module", "../../etc/passwd"), ("module", "02_math/../03_algorithms"), ("module", ".."),
    ("exercise", "../softmax"), ("exercise", "softmax\x00"), ("module", "03_algorithms"),   # not in the course
])
def test_path_tricks_in_ids_are_refused(api, field, value):
    before = snapshot(api)
    r = api.post("/api/v1/submissions", json={**body(), field: value}, headers=auth(api, "ada"))
    assert r.status_code in (404, 422), r.text
    assert "id" in r.text or "no module" in r.text or "has no exercise" in r.text
    assert snapshot(api) == before


@pytest.mark.parametrize("path", ["/api/v1/solution/..%2F..%2Fsolutions/softmax", "/api/v1/solution/02_math/..%2Fx",
                                  "/api/v1/hints/02_math/..", "/api/v1/modules/..%2Fsolutions",
                                  "/api/v1/submissions/..%2F1", "/api/v1/solution/02_math/__init__"])
def test_path_tricks_in_urls_are_refused(api, path):
    r = api.get(path, headers=auth(api, "ada"))
    assert r.status_code in (404, 422), r.text


def test_grade_ids_with_path_tricks_are_refused(api):
    before = snapshot(api)
    r = api.post("/api/v1/submissions", json={"module": "02_math", "cells": {"../softmax": "x = 1"}},
                 headers=auth(api, "ada"))
    assert r.status_code == 422
    assert snapshot(api) == before


def test_solutions_follow_the_course_policy(api):
    r = api.get("/api/v1/solution/02_math/softmax", headers=auth(api, "ada"))
    refused(api, r, 403, "opens once your check of it passes")
    assert api.get("/api/v1/solution/02_math/softmax", headers=auth(api, "instructor")).status_code == 200


def test_the_openapi_schema_documents_every_route(api):
    paths = set(api.get("/openapi.json").json()["paths"])
    assert {"/api/v1/submissions", "/api/v1/submissions/{sid}", "/api/v1/check", "/api/v1/me/submissions",
            "/api/v1/solution/{module}/{exercise}", "/api/v1/admin/tokens", "/api/v1/admin/submissions",
            "/api/v1/admin/export.csv", "/healthz"} <= paths
    assert api.get("/docs").status_code == 200


@pytest.mark.parametrize("policy, status, words", [
    ({"mode": "never"}, 403, "does not show reference solutions"),
    ({"mode": "after_deadline", "deadline": "2999-01-01T00:00:00Z"}, 403, "open after the deadline, 2999-01-01"),
    ({"mode": "after_deadline", "deadline": "2000-01-01T00:00:00Z"}, 200, ""),
])
def test_the_other_solution_policies(tmp_path, policy, status, words):
    config = load_config(write_config(tmp_path, solution_policy=policy))
    tokens = issue_tokens(Store(config.db_url), config.roster)
    with TestClient(create_app(config, dispatcher=Recording())) as client:
        r = client.get("/api/v1/solution/02_math/softmax", headers={"Authorization": f"Bearer {tokens['ada']}"})
    assert r.status_code == status
    if status == 403:
        assert words in r.json()["detail"]
    else:
        assert "def softmax" in r.json()["source"] and "BEGIN SOLUTION" not in r.json()["source"]
