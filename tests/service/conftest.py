"""A real grading service for the tests: `mlkata serve` in a subprocess on 127.0.0.1, a free port, a fresh
SQLite store in tmp_path; stopped (or killed) by the test that started it."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from redis_server import free_port

from graders.service.content import reference_source

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "tests" / "modules" / "mistakes" / "02_math"
REFERENCE_SOFTMAX = ("import numpy as np\n\ndef softmax(z, axis=-1):\n"
                     "    z = np.asarray(z, dtype=float)\n"
                     "    e = np.exp(z - z.max(axis=axis, keepdims=True))\n"
                     "    return e / e.sum(axis=axis, keepdims=True)\n")


def answers() -> dict[str, str]:
    """A mixed notebook: two right, two named mistakes, one syntax error, the rest untouched stubs."""
    return {"softmax": reference_source("02_math", "softmax"), "pca": reference_source("02_math", "pca"),
            "logsumexp": (BANK / "logsumexp__naive.py").read_text(),
            "ridge_fit": (BANK / "ridge_fit__no_intercept.py").read_text(),
            "gaussian_mle": "def gaussian_mle(x):\n    return (x.mean(), \n"}


def notebook_with(cells: dict[str, str]) -> dict:
    nb = json.loads((ROOT / "exercises" / "02_math.ipynb").read_text())
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and gid in cells:
            cell["source"] = cells[gid]
    return nb


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
    def __init__(self, config: Path, broker: str | None = None):
        self.config, self.port, self.proc, self.broker = config, free_port(), None, broker
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> Service:
        log = open(self.config.parent / f"server-{self.port}-{time.monotonic_ns()}.log", "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "graders", "serve", "--config", str(self.config),
                                      "--port", str(self.port), *(["--broker", self.broker] if self.broker else [])],
                                     cwd=ROOT, env=_env(), stdout=log,
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
