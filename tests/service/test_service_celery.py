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
        deadline, rows = time.monotonic() + 420, {}
        while len(rows) < len(ids) and time.monotonic() < deadline:
            for student, sid in ids:
                with svc.client(tokens[student]) as client:
                    row = client.get(f"/api/v1/submissions/{sid}").json()
                if row["status"] in ("graded", "failed"):
                    rows[sid] = row
            time.sleep(0.5)
        assert len(rows) == len(ids), f"not graded within 420 s: {sorted({s for _, s in ids} - set(rows))}"
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
