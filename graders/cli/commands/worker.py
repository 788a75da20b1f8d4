"""A grading worker for ``grade-batch --broker`` and ``serve --broker``: the real ``celery worker`` command, with mlkata's app."""
from __future__ import annotations

import os
import sys

HELP = "start a Celery grading worker on a Redis broker (runs `celery -A graders.instructor.scale.worker worker`)"


def add_arguments(p):
    p.add_argument("--broker", required=True, metavar="URL", help="the Redis broker, e.g. redis://broker-host:6379/0")
    p.add_argument("--queues", default="mlkata",
                   help="comma-separated queues to serve (default: mlkata; a host with Java adds mlkata-jvm)")
    p.add_argument("--concurrency", "-c", type=int, default=None,
                   help="grading processes, each with its own warm sandbox parent (default: CPU count)")
    p.add_argument("--warm", default="", metavar="MODULES",
                   help="comma-separated modules whose libraries each process imports at start (e.g. 02_math)")
    p.add_argument("--max-tasks-per-child", type=int, default=None, metavar="N",
                   help="replace a grading process after N submissions (default: 100)")
    p.add_argument("--hostname", "-n", default=None, help="the worker's node name (default: celery@<host>)")
    p.add_argument("--loglevel", default="INFO")


def run(args) -> int:
    env = dict(os.environ, MLKATA_BROKER=args.broker)
    # the grading service's task too (`mlkata serve --broker`): one worker serves both callers
    env.setdefault("MLKATA_CELERY_INCLUDE", "graders.service.celery_task")
    if args.warm:
        env["MLKATA_WARM_MODULES"] = args.warm
    if args.max_tasks_per_child:
        env["MLKATA_MAX_TASKS_PER_CHILD"] = str(args.max_tasks_per_child)
    argv = [sys.executable, "-m", "celery", "-A", "graders.instructor.scale.worker", "worker",
            "-Q", args.queues, "--loglevel", args.loglevel]
    if args.concurrency:
        argv += ["--concurrency", str(args.concurrency)]
    if args.hostname:
        argv += ["--hostname", args.hostname]
    os.execve(sys.executable, argv, env)     # Celery owns the process: its signals, its pool, its shutdown
