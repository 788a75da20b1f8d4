"""grade-batch --broker: a class graded by two real Celery workers on a real redis-server (loopback only).

One worker is SIGKILLed (the whole worker: main process, pool process, zygote, as when a machine dies)
while it is grading; the submission it held comes back to the broker (late acknowledgement, Redis's
visibility timeout) and the other worker grades it. Every submission must end with the points local
grading gives, in the same gradebook. Skipped when redis-server is not installed, except in CI
(MLKATA_REQUIRE_REDIS=1), where that is a failure.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from redis_server import stop_group, wait_for

from graders.engine.paths import EXERCISES, ROOT, SOLUTIONS
from graders.instructor.batch import grade_batch, write_gradebook
from graders.instructor.scale.app import DEFAULT_QUEUE, JVM_QUEUE, env_routes, make_app, queue_for
from graders.instructor.scale.client import time_limit_for

MODULE = "02_math"
MISTAKES = ROOT / "tests" / "modules" / "mistakes" / MODULE
# (student, answers): None = untouched release; else reference answers with these bank mistakes swapped in
CLASS = [("ada", ()), ("bo", None), ("cy", ("softmax__no_max_shift",)), ("dee", ()),
         ("eli", ("ridge_fit__no_intercept", "pca__no_centring")), ("fay", ("gaussian_mle__ddof1",)),
         ("gus", ()), ("hal", ("logsumexp__naive", "welch_ttest__pooled"))]
# how soon Redis hands a dead worker's unacknowledged task to another worker. It must exceed the longest
# grading of this class under load: a task a live worker holds longer than this is handed out a second time
# (8 s was too short once, in a loaded full-suite run). The batch's 240 s timeout leaves room for 30 s plus
# the restore interval (a quarter of it).
VISIBILITY_S = 30


def make_class(root: Path) -> Path:
    release = nbformat.read(EXERCISES / f"{MODULE}.ipynb", as_version=4)
    solution = nbformat.read(SOLUTIONS / f"{MODULE}.ipynb", as_version=4)
    reference = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solution.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for student, mistakes in CLASS:
        nb = nbformat.from_dict(json.loads(json.dumps(release)))
        if mistakes is not None:
            answers = dict(reference)
            for slug in mistakes:
                answers[slug.split("__")[0]] = (MISTAKES / f"{slug}.py").read_text()
            for cell in nb.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid in answers and cell.metadata["nbgrader"].get("solution"):
                    cell.source = answers[gid]
        folder = root / "submitted" / student / MODULE
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{MODULE}.ipynb")
    return root


def start_worker(name: str, url: str, log: Path) -> subprocess.Popen:
    """The documented command, `celery -A graders.instructor.scale.worker worker`, in a session of its own."""
    env = dict(os.environ, MLKATA_BROKER=url, MLKATA_WARM_MODULES=MODULE,
               MLKATA_VISIBILITY_TIMEOUT=str(VISIBILITY_S), PYTHONPATH=str(ROOT))
    with open(log, "w") as out:              # the worker keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "celery", "-A", "graders.instructor.scale.worker", "worker",
                                 "-Q", DEFAULT_QUEUE, "--concurrency", "1", "--hostname", f"{name}@%h",
                                 "--loglevel", "INFO", "--without-mingle", "--without-gossip"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def started_on(client, worker: str, besides: str = "") -> tuple[str, int] | None:
    """(task id, pool process id) of a task the named worker has started and not finished (Celery's
    STARTED state, ``task_track_started``)."""
    for key in client.scan_iter("celery-task-meta-*"):
        meta = json.loads(client.get(key) or "{}")
        info = meta.get("result") or {}
        if (meta.get("status") == "STARTED" and str(info.get("hostname", "")).startswith(f"{worker}@")
                and meta["task_id"] != besides):
            return meta["task_id"], int(info["pid"])
    return None


def test_a_killed_worker_loses_no_submission_and_points_match_local_grading(redis_url, tmp_path):
    import redis

    root = make_class(tmp_path / "course")
    local = grade_batch(root, workers=1)
    write_gradebook(local, tmp_path / "local.csv", tmp_path / "local.json")
    assert sorted(g.student for g in local if g.result.points == 100) == ["ada", "dee", "gus"]
    assert all(0 < g.result.points < 100 for g in local if g.student in ("cy", "eli", "fay", "hal"))

    logs = {name: tmp_path / f"{name}.log" for name in ("w1", "w2")}
    workers = {name: start_worker(name, redis_url, log) for name, log in logs.items()}
    batch = None
    try:
        wait_for(lambda: all("ready." in log.read_text() for log in logs.values()), 120, "both workers were not ready")
        batch = subprocess.Popen([sys.executable, "-m", "graders", "grade-batch", str(root), "--broker", redis_url,
                                  "--csv", str(tmp_path / "remote.csv"), "--json", str(tmp_path / "remote.json"),
                                  "--timeout", "240"], cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        client = redis.Redis.from_url(redis_url)
        held, _ = wait_for(lambda: started_on(client, "w1"), 120, "worker w1 never started grading a submission")
        os.killpg(workers["w1"].pid, signal.SIGKILL)          # the worker, its pool process and its zygote
        workers["w1"].wait(timeout=10)
        # and one pool process of the other worker: Celery sees it lost and puts its task back at once
        lost = wait_for(lambda: started_on(client, "w2", besides=held), 120, "worker w2 never started grading")
        os.kill(lost[1], signal.SIGKILL)
        _, err = batch.communicate(timeout=300)
        assert batch.returncode == 0, err
    finally:
        if batch is not None and batch.poll() is None:
            batch.kill()
        for proc in workers.values():
            stop_group(proc)

    assert "graded 8 submissions (0 could not be graded)" in err
    # the submission the dead worker held was graded again, by the other worker
    assert f"Task mlkata.grade_submission[{held}] succeeded" not in logs["w1"].read_text()
    w2 = logs["w2"].read_text()
    assert f"Task mlkata.grade_submission[{held}] succeeded" in w2
    assert "WorkerLostError" in w2 and f"Task mlkata.grade_submission[{lost[0]}] succeeded" in w2
    # same points, same statuses, same feedback: the gradebooks are identical, file for file
    assert (tmp_path / "remote.csv").read_text() == (tmp_path / "local.csv").read_text()
    assert (tmp_path / "remote.json").read_text() == (tmp_path / "local.json").read_text()


def test_routing_sends_jvm_modules_to_their_own_queue_and_routes_can_be_overridden():
    assert queue_for(MODULE, {}) == DEFAULT_QUEUE
    assert queue_for("07_data_engineering", {}) == JVM_QUEUE          # its sandbox imports pyspark: a JVM
    routes = env_routes("07_data_engineering=spark-hosts, 13_xai = gpu")
    assert routes == {"07_data_engineering": "spark-hosts", "13_xai": "gpu"}
    assert queue_for("07_data_engineering", routes) == "spark-hosts"
    with pytest.raises(ValueError, match="module=queue"):
        env_routes("07_data_engineering")


def test_the_app_acknowledges_late_prefetches_one_recycles_and_limits_each_task():
    app = make_app("redis://127.0.0.1:1/0", max_tasks_per_child=7, visibility_timeout=90)
    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1 and conf.worker_max_tasks_per_child == 7
    assert conf.broker_transport_options["visibility_timeout"] == 90
    assert conf.result_backend == "redis://127.0.0.1:1/0" and conf.accept_content == ["json"]
    # the hard limit covers every limit the engine applies to the module, and grows with --time-scale
    limit = time_limit_for(MODULE)
    assert limit > 60 + 10 * 10 and time_limit_for(MODULE, 3.0) > limit


def test_the_task_grades_notebook_json_like_local_grading_and_reports_bad_payloads(tmp_path):
    """What a worker runs, called here: no broker needed to check that it grades what local grading grades."""
    from graders.engine.runner import Grader
    from graders.instructor.scale import tasks
    from graders.render.json_report import notebook_dict

    path = make_class(tmp_path) / "submitted" / "cy" / MODULE / f"{MODULE}.ipynb"
    notebook = json.loads(path.read_text())
    try:
        remote = tasks.grade_notebook_json(MODULE, notebook, str(path))
        with Grader() as grader:
            assert remote == notebook_dict(grader.grade_notebook(path))
        assert 0 < remote["points"] < remote["max_points"]
        only = tasks.grade_notebook_json(MODULE, notebook, str(path), exercise="softmax")
        assert [e["id"] for e in only["exercises"]] == ["softmax"]
        wrong = tasks.grade_notebook_json("01_python", notebook, str(path))
        assert "sent to be graded as 01_python" in wrong["error"] and wrong["exercises"] == []
        broken = tasks.grade_notebook_json(MODULE, {"cells": "nonsense"}, "x.ipynb")
        assert broken["error"].startswith("not a valid notebook") and broken["points"] == 0
    finally:
        tasks._close_grader()


class FakeResult:
    """The part of celery.result.AsyncResult that collect() reads."""

    def __init__(self, ready_after: int, value, ok: bool = True):
        self.polls, self.ready_after, self.result, self.ok, self.forgotten = 0, ready_after, value, ok, False

    def ready(self):
        self.polls += 1
        return self.polls > self.ready_after

    def successful(self):
        return self.ok

    def forget(self):
        self.forgotten = True


def test_collect_yields_reports_as_they_finish_and_turns_a_failed_task_into_an_error_report():
    from celery.exceptions import TimeLimitExceeded

    from graders.instructor.scale.client import collect

    done = {"points": 10, "max_points": 10, "exercises": []}
    pending = {"slow": FakeResult(3, done), "fast": FakeResult(0, done),
               "hung": FakeResult(1, TimeLimitExceeded(180.0), ok=False)}
    got = list(collect(pending, interval=0.001, forget=True))
    assert [key for key, _ in got] == ["fast", "hung", "slow"]
    hung = dict(got)["hung"]
    assert "hard time limit" in hung["error"] and hung["points"] == 0 and hung["exercises"] == []
    assert all(r.forgotten for r in pending.values())
    with pytest.raises(TimeoutError, match="1 submissions still not graded"):
        list(collect({"never": FakeResult(10**9, None)}, timeout=0.05, interval=0.01))
