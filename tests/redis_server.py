"""Shared by the Celery tests (grade-batch --broker, the service with --broker): a real redis-server of the
test's own on 127.0.0.1, and the helpers that start and stop worker processes.

``tests/conftest.py`` makes the ``redis_url`` fixture available to every test. Skipped when redis-server is
not installed, except in CI (``MLKATA_REQUIRE_REDIS=1``), where that is a failure."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url():
    """A redis-server of its own on 127.0.0.1 (no persistence), stopped afterwards."""
    binary = shutil.which("redis-server") or ("/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server")
                                              else None)
    if binary is None:
        reason = "redis-server is not installed (apt-get install redis-server; .ci/run does it in CI)"
        if os.environ.get("MLKATA_REQUIRE_REDIS") == "1":
            pytest.fail(f"MLKATA_REQUIRE_REDIS is set (CI), but {reason}")
        pytest.skip(reason)
    import redis

    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not answer within 5 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"{what} within {timeout:g} s")


def stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM a process started with ``start_new_session=True`` and its children; SIGKILL after 20 s."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
