"""A real grading service for the tests: `mlkata serve` in a subprocess on 127.0.0.1, a free port, a fresh
SQLite store in tmp_path; stopped (or killed) by the test that started it."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_SOFTMAX = ("import numpy as np\n\ndef softmax(z, axis=-1):\n"
                     "    z = np.asarray(z, dtype=float)\n"
                     "    e = np.exp(z - z.max(axis=axis, keepdims=True))\n"
                     "    return e / e.sum(axis=axis, keepdims=True)\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(directory: Path, **extra) -> Path:
    lines = ['course = "test-course"', 'modules = ["02_math"]', 'roster = ["ada", "grace"]']
    lines += [f"{k} = {v}" for k, v in extra.items() if not isinstance(v, dict)]
    for table, values in ((k, v) for k, v in extra.items() if isinstance(v, dict)):
        lines.append(f"[{table}]")
        lines += [f"{k} = {v!r}" if not isinstance(v, str) else f'{k} = "{v}"' for k, v in values.items()]
    path = directory / "course.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def issue(config: Path) -> dict[str, str]:
    """Tokens through the shell command an instructor uses."""
    run = subprocess.run([sys.executable, "-m", "graders", "tokens", "--config", str(config), "--instructor"],
                         capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=120)
    assert run.returncode == 0, run.stderr
    return dict(line.split("\t") for line in run.stdout.splitlines())


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


class Service:
    def __init__(self, config: Path):
        self.config, self.port, self.proc = config, free_port(), None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> Service:
        log = open(self.config.parent / f"server-{self.port}-{time.monotonic_ns()}.log", "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "graders", "serve", "--config", str(self.config),
                                      "--port", str(self.port)], cwd=ROOT, env=_env(), stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "the service exited at start"
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("the service did not come up")

    def kill(self) -> None:
        """SIGKILL the whole process group: the server and its sandbox parents, no clean-up at all."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def client(self, token: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=180)


@pytest.fixture
def service(tmp_path):
    """A started service (workers=1) and its tokens: ``service, tokens``."""
    config = write_config(tmp_path, workers=1)
    tokens = issue(config)
    svc = Service(config).start()
    yield svc, tokens
    svc.stop()
