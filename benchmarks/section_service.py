"""The grading service under load: N simulated students checking one exercise each, concurrently.

Starts `mlkata serve` on 127.0.0.1 (a free port, a fresh SQLite store in a temporary folder, 2 grading
workers, the per-student rate limit lifted for the run), warms it with one check, then for N = 1, 10, 50
students: each student sends single-exercise checks of 02_math's softmax (alternately right and with a
named mistake) one after the other through POST /api/v1/check (httpx async), ``max(3, ceil(30 / N))``
checks each, and stops early when the level's time budget is spent. Prints checks/s, p50/p95/p99 latency
(client side, request to graded answer) and the share of checks that errored (HTTP error, timeout or not
graded: must be 0), with the load average, since other work on the machine slows the service too.
Goal (issue 18): p95 < 2 s at 10 students on 2 cores.

Run alone: ``python benchmarks/section_service.py``; ``make bench`` runs it with the other sections.
"""
from __future__ import annotations

import asyncio
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEVELS = (1, 10, 50)
LEVEL_BUDGET_S = 120          # per level: no new check starts after this
REQUEST_TIMEOUT_S = 150
MODULE, EXERCISE = "02_math", "softmax"
CONFIG = """course = "bench"
modules = ["{module}"]
roster = [{roster}]
workers = 2
[limits]
checks_per_minute = 100000
[timeouts]
check_wait_s = 120
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from graders.service.content import reference_source

    wrong = (ROOT / "tests" / "modules" / "mistakes" / MODULE / f"{EXERCISE}__int_truncated.py").read_text()
    return [reference_source(MODULE, EXERCISE), wrong]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


async def _level(url: str, tokens: dict[str, str], n: int, answers: list[str]) -> dict:
    import httpx

    rounds = max(3, math.ceil(30 / n))
    deadline = time.monotonic() + LEVEL_BUDGET_S
    latencies: list[float] = []
    errors: list[str] = []

    async def student(name: str, token: str, client: httpx.AsyncClient) -> None:
        for i in range(rounds):
            if time.monotonic() > deadline:
                return
            body = {"module": MODULE, "exercise": EXERCISE, "cells": {EXERCISE: answers[i % len(answers)]}}
            started = time.perf_counter()
            try:
                response = await client.post("/api/v1/check", json=body, headers={"Authorization": f"Bearer {token}"})
                ok = response.status_code == 200 and response.json()["status"] == "graded"
                if not ok:
                    errors.append(f"{response.status_code} {response.text[:120]}")
            except httpx.HTTPError as exc:
                errors.append(repr(exc))
            latencies.append(time.perf_counter() - started)

    limits = httpx.Limits(max_connections=n + 5, max_keepalive_connections=n + 5)
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(student(s, tokens[s], client) for s in list(tokens)[:n]))
        wall = time.perf_counter() - started
    return {"students": n, "checks": len(latencies), "wall": wall, "rate": len(latencies) / wall,
            "p50": statistics.median(latencies), "p95": _percentile(latencies, 0.95),
            "p99": _percentile(latencies, 0.99), "errors": len(errors) / max(1, len(latencies)),
            "first_error": errors[0] if errors else "", "load": os.getloadavg()[0]}


def _start(config: Path, port: int, log: Path) -> subprocess.Popen:
    import httpx

    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "graders", "serve", "--config", str(config), "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the service exited at start; see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError("the service did not come up in 180 s")


def measure() -> list[dict]:
    sys.path.insert(0, str(ROOT))
    from graders.service.config import load_config
    from graders.service.security import issue_tokens
    from graders.service.store import Store

    work = Path(tempfile.mkdtemp(prefix="mlkata-bench-service-"))
    roster = [f"s{i:02d}" for i in range(1, max(LEVELS) + 1)]
    config = work / "course.toml"
    config.write_text(CONFIG.format(module=MODULE, roster=", ".join(f'"{s}"' for s in roster)))
    tokens = issue_tokens(Store(load_config(config).db_url), roster)
    port = _free_port()
    proc = _start(config, port, work / "server.log")
    answers = _answers()
    try:
        url = f"http://127.0.0.1:{port}"
        asyncio.run(_level(url, tokens, 1, answers[:1]))            # warm the workers' graders (not counted)
        return [asyncio.run(_level(url, tokens, n, answers)) for n in LEVELS]
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def table(results: list[dict]) -> str:
    cores = len(os.sched_getaffinity(0))
    lines = [f"service on 127.0.0.1, 2 grading workers, {cores} cores; single-exercise checks of {MODULE}/{EXERCISE}",
             (f"{'students':>8s} {'checks':>7s} {'checks/s':>9s} {'p50 s':>7s} {'p95 s':>7s} {'p99 s':>7s} "
              f"{'errors':>7s} {'load1':>6s}")]
    for r in results:
        lines.append(f"{r['students']:8d} {r['checks']:7d} {r['rate']:9.2f} {r['p50']:7.2f} {r['p95']:7.2f} "
                     f"{r['p99']:7.2f} {r['errors']:7.1%} {r['load']:6.2f}" +
                     (f"  first error: {r['first_error']}" if r["first_error"] else ""))
    goal = next((r for r in results if r["students"] == 10), None)
    if goal:
        lines.append(f"goal p95 < 2 s at 10 students: {'met' if goal['p95'] < 2 else 'NOT met'} ({goal['p95']:.2f} s)")
    return "\n".join(lines)


def run() -> list[tuple[str, float]]:
    """For bench_grading.py --sections: prints the table, returns the figures as (label, value)."""
    results = measure()
    print(table(results))
    out = []
    for r in results:
        n = r["students"]
        out += [(f"service, {n} students: checks/s", r["rate"]), (f"service, {n} students: p95 latency s", r["p95"]),
                (f"service, {n} students: error share", r["errors"])]
    return out


if __name__ == "__main__":
    print(table(measure()))
