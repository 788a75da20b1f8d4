"""Item 4 of issue 18: nothing is lost. Stored before graded; a server killed mid-burst grades everything
after restart; a crashed or timed-out grading is recorded and retried once."""
from __future__ import annotations

import threading
import time

import pytest
from conftest import REFERENCE_SOFTMAX, Service, issue, write_config

from graders.service.config import ServiceConfig
from graders.service.dispatch import PoolDispatcher
from graders.service.grading import grade_payload
from graders.service.store import Store

WRONG_SOFTMAX = "import numpy as np\n\ndef softmax(z, axis=-1):\n    e = np.exp(z)\n    return e / e.sum(axis=axis, keepdims=True)\n"


def wait_for(predicate, timeout: float, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s")


def test_a_server_killed_mid_burst_grades_every_accepted_submission_after_restart(tmp_path):
    config = write_config(tmp_path, workers=1)
    tokens = issue(config)
    svc = Service(config).start()
    accepted = {}
    with svc.client(tokens["ada"]) as ada:
        for n in range(6):
            cells = {"softmax": REFERENCE_SOFTMAX if n % 2 == 0 else WRONG_SOFTMAX}
            r = ada.post("/api/v1/submissions", json={"module": "02_math", "exercise": "softmax", "cells": cells})
            assert r.status_code == 202 and r.json()["status"] == "queued"
            accepted[r.json()["id"]] = n % 2
        # kill while the pool is in the middle of the burst: one graded at least, some still waiting
        wait_for(lambda: any(s["status"] == "graded" for s in ada.get("/api/v1/me/submissions").json()), 120)
        states = {s["id"]: s["status"] for s in ada.get("/api/v1/me/submissions").json()}
    svc.kill()
    assert set(states) == set(accepted) and "queued" in states.values()
    store = Store(f"sqlite:///{tmp_path / 'mlkata-service.db'}", upgrade=False)
    assert {s["id"] for s in store.list()} == set(accepted)          # every accepted one was on disk

    again = Service(config).start()
    try:
        with again.client(tokens["ada"]) as ada:
            def all_graded():
                rows = ada.get("/api/v1/me/submissions").json()
                return rows if all(r["status"] == "graded" for r in rows) else None
            rows = wait_for(all_graded, 240)
    finally:
        again.stop()
    # what grading gives each payload here, not a number written down (the generated cases may change it)
    points = [grade_payload("02_math", {"softmax": s}, None, "softmax")["points"] for s in (REFERENCE_SOFTMAX, WRONG_SOFTMAX)]
    assert points[0] == 10 > points[1] > 0
    assert {r["id"]: r["points"] for r in rows} == {sid: points[wrong] for sid, wrong in accepted.items()}


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'db.sqlite'}")


def pool(store, grade, grading_s=30.0):
    config = ServiceConfig(course="c", modules=["02_math"], roster=["ada"], workers=1,
                           timeouts={"grading_s": grading_s})
    store.ensure_students(["ada"])
    return PoolDispatcher(store, config, grade=grade, make_grader=lambda: None)


GOOD = {"module": "02_math", "exercises": [{"id": "softmax", "status": "passed", "mistakes": []}],
        "points": 10, "max_points": 10}


def run_one(store, dispatcher, timeout=20):
    sid = store.add("ada", "02_math", "softmax", {"cells": {}})
    dispatcher.start()
    dispatcher.submit(sid)
    try:
        return wait_for(lambda: (row := store.get(sid))["status"] in ("graded", "failed") and row, timeout)
    finally:
        dispatcher.stop()


def test_a_crashed_grading_is_recorded_and_retried_once(store):
    calls = []

    def crashes_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("sandbox parent died")
        return GOOD

    row = run_one(store, pool(store, crashes_once))
    assert row["status"] == "graded" and row["attempts"] == 2 and row["points"] == 10 and len(calls) == 2
    assert row["error"] == "graded on attempt 2; earlier: internal grader error: RuntimeError('sandbox parent died')"


def test_a_grading_that_crashes_twice_ends_failed_with_the_reason(store):
    def always(*args, **kwargs):
        raise RuntimeError("sandbox parent died")

    row = run_one(store, pool(store, always))
    assert row["status"] == "failed" and row["attempts"] == 2 and "sandbox parent died" in row["error"]


def test_an_engine_reported_internal_error_counts_as_a_crash(store):
    calls = []

    def broken_once(*args, **kwargs):
        calls.append(1)
        return {**GOOD, "error": "internal grader error (not your fault): zygote gone"} if len(calls) == 1 else GOOD

    row = run_one(store, pool(store, broken_once))
    assert row["status"] == "graded" and row["attempts"] == 2
    assert row["error"] == "graded on attempt 2; earlier: internal grader error (not your fault): zygote gone"


def test_a_timed_out_grading_is_recorded_and_retried_once(store):
    calls, release = [], threading.Event()

    def hangs_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            release.wait(3)           # a grading stuck far past the limit
        return GOOD

    try:
        row = run_one(store, pool(store, hangs_once, grading_s=0.5))
    finally:
        release.set()
    assert row["status"] == "graded" and row["attempts"] == 2 and len(calls) == 2
    assert row["error"] == "graded on attempt 2; earlier: grading timed out after 0.5 s"


def test_a_submission_running_at_a_stop_is_requeued_once_then_failed(store):
    store.ensure_students(["ada"])
    sid = store.add("ada", "02_math", None, {"cells": {}})
    assert store.claim(sid)                                  # attempt 1 ... then the server dies
    assert store.recover(max_attempts=2) == [sid] and store.get(sid)["status"] == "queued"
    assert store.claim(sid)                                  # attempt 2 ... dies again
    assert store.recover(max_attempts=2) == []
    row = store.get(sid)
    assert row["status"] == "failed" and "interrupted" in row["error"]


def test_migrations_run_on_a_fresh_store_and_again_harmlessly(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    Store(url).ensure_students(["ada"])
    again = Store(url)                                       # alembic upgrade head on an up-to-date store
    from sqlalchemy import inspect

    assert {"students", "submissions", "mistakes", "alembic_version"} <= set(inspect(again.engine).get_table_names())
