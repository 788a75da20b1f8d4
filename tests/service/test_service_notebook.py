"""Item 2 of issue 18: a released nbgrader notebook's check() cells work against a real server, from a
kernel that has only the student package (mlkata-client) installed: the wiring cell's
``from graders.learner.inline import connect`` is answered by the client, the answer cells go to the
server, and the result shown is what local grading shows for the same cells."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest
from conftest import REFERENCE_SOFTMAX, ROOT
from nbclient import NotebookClient
from test_service_client_package import build_wheel

from graders.engine.notebook import submission_from_notebook
from graders.engine.runner import Grader
from graders.render.inline_html import ResultView

pytest.importorskip("ipykernel", reason="the notebook test runs a Jupyter kernel")


def released_with_softmax() -> dict:
    nb = json.loads((ROOT / "exercises" / "02_math.ipynb").read_text())
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "softmax":
            cell["source"] = REFERENCE_SOFTMAX
    extra = ['import graders, mlkata_client; print(graders.__file__)', 'solution("softmax")',
             'solution("logsumexp")', 'hint("logsumexp")']
    nb["cells"] += [nbformat.v4.new_code_cell(src) for src in extra]
    return nb


def outputs(cell) -> str:
    return "\n".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", []))


def local_text(nb: dict, exercise: str) -> str:
    sub = submission_from_notebook(nbformat.reads(json.dumps(nb), as_version=4), "02_math.ipynb")
    with Grader() as grader:
        return ResultView(grader.grade(sub, only=[exercise]), exercise).text()


def test_released_notebook_checks_against_the_server_with_only_the_client(service, tmp_path, monkeypatch):
    svc, tokens = service
    site = tmp_path / "site"
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                          str(build_wheel(tmp_path))], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    work = tmp_path / "work"
    work.mkdir()
    nb = released_with_softmax()
    (work / "02_math.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    # the kernel sees the client, not this repository: PYTHONPATH is the client's install alone
    monkeypatch.setenv("PYTHONPATH", str(site))
    monkeypatch.setenv("MLKATA_SERVER", svc.url)
    monkeypatch.setenv("MLKATA_TOKEN", tokens["ada"])
    for name in ("MLKATA_SANDBOX", "NBGRADER_EXECUTION"):
        monkeypatch.delenv(name, raising=False)
    executed = nbformat.reads(json.dumps(nb), as_version=4)
    NotebookClient(executed, timeout=300, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": str(work)}}).execute()
    by_source = {c.source.strip(): c for c in executed.cells if c.cell_type == "code"}

    assert outputs(by_source["import graders, mlkata_client; print(graders.__file__)"]).startswith(str(site))
    assert not os.path.exists(site / "graders" / "engine")
    shown = outputs(by_source['check("softmax")'])
    assert shown == local_text(nb, "softmax") and shown.startswith("softmax: 10/10 points")
    stub = outputs(by_source['check("logsumexp")'])
    assert stub == local_text(nb, "logsumexp") and "not attempted" in stub.lower()
    # the course's policy (after_pass): the reference opens after softmax passed, not for logsumexp
    assert "def softmax" in outputs(by_source['solution("softmax")'])
    assert "opens once your check of it passes" in outputs(by_source['solution("logsumexp")'])
    assert "Hint 1 of" in outputs(by_source['hint("logsumexp")'])
    with svc.client(tokens["ada"]) as ada:
        mine = ada.get("/api/v1/me/submissions").json()
    assert mine and {s["status"] for s in mine} == {"graded"}


def test_the_client_picks_cells_by_the_same_rule_as_the_full_project():
    """mlkata_client.cells.defined_names and the engine's live rule agree on every answer cell we ship."""
    sys.path.insert(0, str(ROOT / "client"))
    try:
        from mlkata_client.cells import defined_names as client_names
    finally:
        sys.path.remove(str(ROOT / "client"))
    from graders.engine.live import defined_names
    from graders.engine.notebook import read_notebook

    sources = [src for path in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
               for _, src in submission_from_notebook(read_notebook(path), str(path)).answers]
    sources += [p.read_text() for p in (ROOT / "tests" / "modules" / "mistakes").glob("*/*.py")]
    assert len(sources) > 200
    assert [s[:60] for s in sources if client_names(s) != defined_names(s)] == []


SETUP_RUNNER = """
import json, sys
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*.ipynb")):
    nb = json.loads(path.read_text())
    namespace = {}
    for cell in nb["cells"]:
        meta = cell.get("metadata", {})
        if "setup" in meta.get("tags", []) or meta.get("nbgrader", {}).get("grade_id") == "mlkata_inline":
            exec(compile("".join(cell["source"]), path.name, "exec"), namespace)
    print(path.stem, callable(namespace.get("check")), flush=True)
"""


def test_every_released_notebook_sets_up_with_only_the_client(tmp_path):
    """The setup cells (data sets included) and the wiring cell of all notebooks, from the installed wheel."""
    site = tmp_path / "site"
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                          str(build_wheel(tmp_path))], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("MLKATA_SANDBOX", "NBGRADER_EXECUTION")}
    env["PYTHONPATH"] = str(site)
    run = subprocess.run([sys.executable, "-c", SETUP_RUNNER, str(site / "mlkata_client" / "notebooks")],
                         capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    done = dict(line.split() for line in run.stdout.splitlines())
    assert len(done) >= 13 and set(done.values()) == {"True"}
