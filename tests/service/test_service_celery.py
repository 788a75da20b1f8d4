"""Item 5 of issue 18, the service half: `mlkata serve --broker redis://...` grades on a Celery worker.

A real redis-server on 127.0.0.1, one `mlkata worker` process (the documented command) and the service in a
subprocess. Two students send answer cells and whole notebooks; every submission must end graded with the
report the in-process pool gives (the same ``grade_payload`` with a warm Grader), and the grading must have
happened on the worker (its log names each task). Skipped without redis-server, except in CI.
"""
from __future__ import annotations

import subprocess
import sys
import time

from conftest import BANK, ROOT, Service, _env, answers, issue, notebook_with, write_config
from redis_server import stop_group, wait_for

from graders.engine.runner import Grader
from graders.engine.trust import untrusted_grading
from graders.service.content import reference_source
from graders.service.grading import grade_payload

MODULE = "02_math"


def submissions() -> list[tuple[str, dict]]:
    mixed = answers()
    grace = {"softmax": (BANK / "softmax__no_max_shift.py").read_text(),
             "pca": reference_source(MODULE, "pca")}
    return [("ada", {"module": MODULE, "cells": mixed}),
            ("grace", {"module": MODULE, "notebook": notebook_with(grace)}),
            ("ada", {"module": MODULE, "exercise": "softmax", "cells": {"softmax": reference_source(MODULE, "softmax")}}),
            ("grace", {"module": MODULE, "exercise": "softmax", "notebook": notebook_with(grace)})]


def start_worker(url: str, log) -> subprocess.Popen:
    env = dict(_env(), MLKATA_CELERY_INCLUDE="graders.service.celery_task")
    return subprocess.Popen([sys.executable, "-m", "graders", "worker", "--broker", url, "--concurrency", "1",
                             "--warm", MODULE, "--hostname", "w1@%h"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def finished(svc: Service, tokens: dict, ids: list[tuple[str, int]], timeout: float = 420) -> dict[int, dict]:
    """Each submission's row once it is graded or failed (polled as its student)."""
    deadline, rows = time.monotonic() + timeout, {}
    while len(rows) < len(ids) and time.monotonic() < deadline:
        for student, sid in ids:
            with svc.client(tokens[student]) as client:
                row = client.get(f"/api/v1/submissions/{sid}").json()
            if row["status"] in ("graded", "failed"):
                rows[sid] = row
        time.sleep(0.5)
    assert len(rows) == len(ids), f"not graded within {timeout:g} s: {sorted({s for _, s in ids} - set(rows))}"
    return rows


def test_the_service_grades_on_a_celery_worker_with_the_points_of_the_in_process_pool(redis_url, tmp_path):
    config = write_config(tmp_path, workers=1)
    tokens = issue(config)
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        worker = start_worker(redis_url, log)
    svc = Service(config, broker=redis_url)
    sent = submissions()
    try:
        wait_for(lambda: "ready." in log_path.read_text(), 120, "the worker was not ready")
        svc.start()
        ids = []
        for student, body in sent:
            with svc.client(tokens[student]) as client:
                reply = client.post("/api/v1/submissions", json=body)
                assert reply.status_code == 202, reply.text
                ids.append((student, reply.json()["id"]))
        # what the in-process pool computes for the same payloads, while the worker grades
        with untrusted_grading(), Grader() as grader:
            local = [grade_payload(b["module"], b.get("cells"), b.get("notebook"), b.get("exercise"), grader=grader)
                     for _, b in sent]
        rows = finished(svc, tokens, ids)
        with svc.client(tokens["instructor"]) as teacher:
            stored = {s["id"]: s for s in teacher.get("/api/v1/admin/submissions").json()}
    finally:
        svc.stop()
        stop_group(worker)

    worker_log = log_path.read_text()
    for (_, sid), expected in zip(ids, local, strict=True):
        row = rows[sid]
        assert row["status"] == "graded" and stored[sid]["status"] == "graded", row
        assert row["attempts"] == 1 and row["error"] is None          # graded first time, nothing retried
        assert row["result"] == expected
        assert (row["points"], row["max_points"]) == (expected["points"], expected["max_points"])
        assert f"Task mlkata.grade_payload[test-course-{sid}] succeeded" in worker_log
    assert 0 < local[0]["points"] < local[0]["max_points"]                # the mixes really are mixed
    assert {"logsumexp", "ridge_fit"} <= {e["id"] for e in local[0]["exercises"] if e["mistakes"]}
    assert local[2]["points"] == local[2]["max_points"] and local[3]["points"] < local[3]["max_points"]


def test_submissions_sent_before_a_kill_and_lost_by_the_broker_are_sent_again_after_restart(redis_url, tmp_path):
    """The service is killed with submissions sent and no worker yet; Redis then loses its messages (a broker
    restarted without persistence). The restarted service finds them still PENDING, sends them again, and
    the worker started afterwards grades them."""
    import redis

    config = write_config(tmp_path, workers=1)
    tokens = issue(config)
    cells = [{"softmax": reference_source(MODULE, "softmax")},
             {"softmax": (BANK / "softmax__no_max_shift.py").read_text()}]
    svc, again, worker = Service(config, broker=redis_url).start(), None, None
    try:
        with svc.client(tokens["ada"]) as ada:
            ids = [("ada", ada.post("/api/v1/submissions", json={"module": MODULE, "exercise": "softmax",
                                                                   "cells": c}).json()["id"]) for c in cells]
        svc.kill()
        assert redis.Redis.from_url(redis_url).flushall()
        log_path = tmp_path / "worker.log"
        with open(log_path, "w") as log:
            worker = start_worker(redis_url, log)
        wait_for(lambda: "ready." in log_path.read_text(), 120, "the worker was not ready")
        again = Service(config, broker=redis_url).start()
        rows = finished(again, tokens, ids)
    finally:
        for service in (svc, again):
            if service is not None:
                service.stop()
        if worker is not None:
            stop_group(worker)
    with untrusted_grading(), Grader() as grader:
        local = [grade_payload(MODULE, c, None, "softmax", grader=grader) for c in cells]
    assert [rows[sid]["result"] for _, sid in ids] == local
    assert [rows[sid]["status"] for _, sid in ids] == ["graded", "graded"]
    assert local[0]["points"] == 10 > local[1]["points"]
    assert all(f"Task mlkata.grade_payload[test-course-{sid}] succeeded" in log_path.read_text() for _, sid in ids)


class Sent:
    """What CeleryDispatcher._send returns, recorded instead of reaching a broker."""

    def __init__(self, task_id: str):
        self.task_id = task_id


def test_a_crashed_celery_grading_is_recorded_and_retried_once_under_its_own_task_id(tmp_path):
    from graders.service.celery_dispatch import CeleryDispatcher
    from graders.service.config import ServiceConfig
    from graders.service.store import Store

    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.ensure_students(["ada"])
    config = ServiceConfig(course="c", modules=[MODULE], roster=["ada"])
    dispatcher, sent = CeleryDispatcher(store, config, "redis://127.0.0.1:1/0"), []
    dispatcher._send = lambda sid, attempt: sent.append(Sent(dispatcher.task_id(sid, attempt))) or sent[-1]
    crash = {"exercises": [], "points": 0, "max_points": 0, "error": "internal grader error on the worker: boom"}
    good = {"module": MODULE, "exercises": [{"id": "softmax", "status": "failed", "mistakes": ["no_max_shift"]}],
            "points": 6, "max_points": 10}

    once = store.add("ada", MODULE, "softmax", {"cells": {}})
    dispatcher.submit(once)
    dispatcher.submit(once)                                   # claimed already: not sent twice
    assert [s.task_id for s in sent] == [f"c-{once}"] and store.get(once)["status"] == "running"
    dispatcher._record(once, crash)
    assert [s.task_id for s in sent] == [f"c-{once}", f"c-{once}-retry"]
    dispatcher._record(once, good)
    row = store.get(once)
    assert (row["status"], row["attempts"], row["points"]) == ("graded", 2, 6)
    assert "earlier: internal grader error on the worker: boom" in row["error"]

    twice = store.add("ada", MODULE, "softmax", {"cells": {}})
    dispatcher.submit(twice)
    dispatcher._record(twice, crash)
    dispatcher._record(twice, dict(crash, error="grading did not finish within the task's hard time limit (99)"))
    row = store.get(twice)
    assert (row["status"], row["attempts"]) == ("failed", 2) and "hard time limit" in row["error"]
    assert len(sent) == 4                                      # no third try
