"""The learner's loop in a real browser: JupyterLab, an answer typed into 02_math, check("softmax").

JupyterLab runs on loopback with a throw-away config, data, runtime and settings folder, a random token and a
COPY of the committed ``exercises/02_math.ipynb`` (never the learner's file); MLKATA_HOME is a temporary
folder too. Debian's Chromium (``/usr/bin/chromium``, never a downloaded browser) is driven by the Python
``playwright`` package. Screenshots go to ``tests/artifacts/`` (git-ignored), for CI to keep.
Skipped, with the reason, when Chromium or playwright is missing; ``.ci/run`` installs both and sets
MLKATA_REQUIRE_BROWSER=1, which turns that skip into a failure.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from banks import TESTS, bank, solution_notebook

from graders.engine.notebook import submission_from_notebook
from graders.engine.paths import EXERCISES

CHROMIUM = os.environ.get("MLKATA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = TESTS / "artifacts"
# Chromium on a machine with a closed network: no background connections, no GPU, no sandbox as root
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT = 120       # seconds: JupyterLab's first start builds nothing, but the machine may be loaded
CHECK_TIMEOUT = 180_000   # ms: the first check of a kernel starts the grading sandbox
SETTINGS = {  # JupyterLab user settings: every cell in the DOM, no news or update checks (closed network)
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


def requirements() -> str | None:
    """Why the test cannot run here, or None."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install -y chromium; .ci/run "
                "installs it, or set MLKATA_CHROMIUM)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (.venv/bin/pip install -e '.[browser]'; .ci/run does it)"
    if not shutil.which("jupyter", path=str(Path(sys.executable).parent)):
        return f"jupyter is not installed next to {sys.executable}"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    """(base url, token, log path) of a JupyterLab serving a copy of 02_math; always shut down."""
    reason = requirements()
    if reason and os.environ.get("MLKATA_REQUIRE_BROWSER"):
        pytest.fail(f"MLKATA_REQUIRE_BROWSER is set (CI), but {reason}")
    if reason:
        pytest.skip(reason)
    root, state = tmp_path / "root", tmp_path / "jupyter"
    root.mkdir()
    shutil.copy(EXERCISES / "02_math.ipynb", root / "02_math.ipynb")
    for name, value in SETTINGS.items():
        (state / "settings" / name).parent.mkdir(parents=True, exist_ok=True)
        (state / "settings" / name).write_text(json.dumps(value))
    port, token = free_port(), secrets.token_hex(16)
    venv_bin = str(Path(sys.executable).parent)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(state / "config"), "JUPYTER_DATA_DIR": str(state / "data"),
           "JUPYTER_RUNTIME_DIR": str(state / "runtime"), "IPYTHONDIR": str(state / "ipython"),
           "MLKATA_HOME": str(tmp_path / "home"), "PATH": venv_bin + os.pathsep + os.environ.get("PATH", "")}
    env.pop("PYTEST_CURRENT_TEST", None)
    log = tmp_path / "jupyterlab.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [os.path.join(venv_bin, "jupyter"), "lab", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
             "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}",
             "--ServerApp.open_browser=False", f"--LabApp.user_settings_dir={state / 'settings'}",
             f"--LabApp.workspaces_dir={state / 'workspaces'}"]
            + (["--allow-root"] if os.geteuid() == 0 else []),       # CI runs as root in a container
            cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield base, token, log
    finally:
        server.terminate()               # our own process, by its id: the server stops its kernels
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)     # its own session: the kernel it started goes with it
            server.wait(timeout=30)


def code_cell(page, source_regex: str):
    """The first code cell whose editor text matches (e.g. the one that is just check("softmax")), pinned
    by position so that it stays the same cell after its text is replaced."""
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    texts = cells.locator(".cm-content").all_inner_texts()
    index = next(i for i, text in enumerate(texts) if re.search(source_regex, text))
    return cells.nth(index)


def run_cell(page, cell) -> None:
    """Click into the cell's editor and run it with Shift+Enter, as a learner does; wait for a new
    execution count. A key press the page swallowed (kernel still connecting) is pressed again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    prompt = cell.locator(".jp-InputPrompt")
    before = prompt.inner_text()
    for _ in range(3):
        cell.locator(".cm-content").click()
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_function("([el, before]) => el.textContent.trim() !== before.trim()",
                                   arg=[prompt.element_handle(), before], timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    page.wait_for_function("([el, before]) => /\\[\\d+\\]/.test(el.textContent) "
                           "&& el.textContent.trim() !== before.trim()",
                           arg=[prompt.element_handle(), before], timeout=CHECK_TIMEOUT)


def kernel_connected(base: str, token: str) -> None:
    """Wait until the browser holds a connection to an idle kernel (the page's own indicator says idle
    before its websocket is up, and a Shift+Enter sent then is lost)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=5) as reply:
                kernels = json.load(reply)
        except urllib.error.HTTPError as error:
            # jupyter_server answers 500 while a kernel it lists is still starting (its last_activity
            # trait is None until the first message): not yet, ask again.
            if error.code < 500:
                raise
            kernels = []
        if any(k.get("connections", 0) > 0 and k.get("execution_state") == "idle" for k in kernels):
            return
        time.sleep(0.5)
    pytest.fail("the notebook's kernel did not connect")


def type_answer(page, cell, source: str) -> None:
    """Replace the cell's text by typing it: select all, then insert (insert_text skips auto-indent)."""
    cell.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)


def check_output(page, cell, expected: str) -> str:
    """Run a check(...) cell and wait for its rendered HTML to show ``expected``; returns the text."""
    run_cell(page, cell)
    output = cell.locator(".jp-OutputArea-output")
    output.filter(has_text=expected).first.wait_for(timeout=CHECK_TIMEOUT)
    return output.all_inner_texts()


def test_check_in_jupyterlab_shows_passed_then_the_named_mistake(jupyterlab):
    from playwright.sync_api import sync_playwright

    base, token, log = jupyterlab
    reference = dict(submission_from_notebook(solution_notebook("02_math")).answers)["softmax"]
    reference = "\n".join(line for line in reference.splitlines() if "### " not in line)
    mistake = next(e for e in bank("02_math", "mistakes") if e.mistake == "no-max-shift")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "browser_failure.png").unlink(missing_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        try:
            page.goto(f"{base}/lab/tree/02_math.ipynb?token={token}")
            page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').first.wait_for(timeout=120_000)
            kernel_connected(base, token)
            for pattern in (r"^import numpy as np", r"check, hint, solution = connect"):
                run_cell(page, code_cell(page, pattern))             # the setup cell, then the wiring cell
            answer = code_cell(page, r"^def softmax\(z, axis=-1\):")
            check = code_cell(page, r'^check\("softmax"\)$')

            type_answer(page, answer, reference)
            run_cell(page, answer)
            shown = "\n".join(check_output(page, check, "passed"))
            assert "softmax" in shown and "10/10" in shown and "passed" in shown, shown
            check.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "browser_check_passed.png"))

            type_answer(page, answer, mistake.source)
            run_cell(page, answer)
            shown = "\n".join(check_output(page, check, mistake.expect[0]))
            assert "10/10" not in shown and "incorrect" in shown and mistake.expect[0] in shown, shown
            check.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "browser_check_mistake.png"))
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "browser_failure.png"))
            print(log.read_text(errors="replace")[-3000:])
            raise
        finally:
            browser.close()
