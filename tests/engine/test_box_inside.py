"""Inside the box: what a sandbox holds and sees, how it ends, and what happens where there is no box.

The sandbox (and the probes forked from it) must hold no grading-side code at all: every graders module in
its ``sys.modules`` and every function or class on its heap comes from the engine's sandbox package or a
module's sandbox-side files (the ``graders.modules`` names its spec preloads), box or not.
"""
from __future__ import annotations

import io
import os
import pickle
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from banks import submission

from graders.engine import registry
from graders.engine.paths import DATASETS, ROOT, SOLUTIONS, grader_files
from graders.engine.sandbox import Sandbox, Zygote, box
from graders.engine.sandbox.probes import call_each

needs_box = pytest.mark.skipif(box.unavailable() is not None, reason=f"no box here: {box.unavailable()}")


def sandbox_side_names() -> set[str]:
    """Every graders module a sandbox may hold: the engine's sandbox package, each module's package and
    the files its spec preloads."""
    allowed = {"graders", "graders.engine", "graders.modules"}
    for module_id in registry.module_ids():
        allowed.add(registry.package_name(module_id))
        allowed |= {n for n in registry.load(module_id).preload if n.startswith("graders.")}
    return allowed


def _allowed(name: str, allowed: set[str]) -> bool:
    return name in allowed or name == "graders.engine.sandbox" or name.startswith("graders.engine.sandbox.")


SCAN = '''
def _scan():
    import gc, sys, types
    modules = sorted(n for n in sys.modules if n == "graders" or n.startswith("graders."))
    owners = set()
    for obj in gc.get_objects():
        if isinstance(obj, (types.FunctionType, type)):
            owner = getattr(obj, "__module__", None)
            if isinstance(owner, str) and owner.startswith("graders"):
                owners.add(owner)
    return modules, sorted(owners)
'''


@pytest.mark.parametrize("module_id", registry.module_ids())
def test_no_grading_side_code_is_loaded_in_the_sandbox(grader, module_id):
    """After the setup cell, the answers and every speed budget (whose reference is timed elsewhere),
    nothing in the learner's process comes from an oracle, a case generator, a judge or a reference."""
    spec = registry.load(module_id)
    grader.prepare([module_id])
    sub = submission(module_id)
    allowed = sandbox_side_names()
    with Sandbox(grader._zygote_for(), imports=spec.preload, mem_bytes=spec.mem_bytes) as sandbox:
        for label, source in sub.setup:
            assert sandbox.exec_cell(label, source, 60).status == "ok"
        assert sandbox.exec_cell("scan", SCAN, 10).status == "ok"
        scans = [sandbox.probe(call_each, ("_scan", [((), {})]))]
        for grade_id, source in sub.answers:
            sandbox.exec_cell(grade_id, source, 60)
        timed = [(ex, c) for ex in spec.exercises for c in ex.checks if c.yardstick is not None]
        for ex, check in timed:
            assert grader._run_check(sandbox, ex, check, check.timeout) is None
        scans.append(sandbox.probe(call_each, ("_scan", [((), {})])))
    for run in scans:
        assert run.status == "ok", run
        modules, owners = run.value[0]["value"]
        assert "graders.modules" in modules or module_id == "01_python"
        assert [m for m in modules if not _allowed(m, allowed)] == []
        assert [o for o in owners if not _allowed(o, allowed)] == []


class _Recorder(pickle.Unpickler):
    """Unpickles as the sandbox does, writing down every module a global comes from."""

    def __init__(self, data: bytes):
        super().__init__(io.BytesIO(data))
        self.modules: set[str] = set()

    def find_class(self, module, name):
        self.modules.add(module)
        return super().find_class(module, name)


@pytest.mark.parametrize("module_id", registry.module_ids())
def test_probes_and_their_arguments_name_only_sandbox_side_code(module_id):
    """What the sandbox unpickles for each check (probe and arguments) imports only sandbox-side files."""
    spec = registry.load(module_id)
    allowed = sandbox_side_names()
    for ex in spec.exercises:
        for check in ex.checks:
            message = {"func": check.probe, "args": check.args_for(check.target or ex.id, check.materialize())}
            recorder = _Recorder(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
            recorder.load()
            wrong = [m for m in recorder.modules if m.startswith("graders") and not _allowed(m, allowed)]
            assert wrong == [], f"{module_id}/{ex.id}/{check.title}: {wrong}"


@needs_box
def test_the_box_shows_the_sandbox_side_code_the_data_and_a_writable_scratch_only():
    preload = sorted({n for m in registry.module_ids() for n in registry.load(m).preload})
    zygote = Zygote(preload, data=(DATASETS, grader_files()))
    probe_file = grader_files() / "input.csv"
    probe_file.write_text("a,b\n1,2\n")
    code = f'''
import os, pathlib
def look():
    out = {{}}
    root = pathlib.Path({str(ROOT)!r})
    out["project"] = sorted(os.listdir(root))
    out["code"] = sorted(str(p.relative_to(root)) for p in (root / "graders").rglob("*.py"))
    out["input"] = open({str(probe_file)!r}).read()
    out["data"] = sorted(os.listdir({str(DATASETS)!r}))
    tries = {{"scratch": "here.txt", "datasets": {str(DATASETS / "x.txt")!r}, "inputs": {str(grader_files() / "x")!r},
             "tmp": "/tmp/x.txt", "root": "/x.txt"}}
    for name, path in tries.items():
        try:
            open(path, "w").write("x")
            out["write " + name] = "ok"
        except OSError as exc:
            out["write " + name] = type(exc).__name__
    out["see solutions"] = os.path.exists({str(SOLUTIONS)!r})
    out["home"] = sorted(os.listdir({str(Path.home())!r})) if os.path.isdir({str(Path.home())!r}) else []
    return out
'''
    try:
        with Sandbox(zygote) as sandbox:
            assert sandbox.exec_cell("look", code, 10).status == "ok"
            run = sandbox.probe(call_each, ("look", [((), {})]))
            assert run.status == "ok", run
            seen = run.value[0]["value"]
    finally:
        zygote.close()
        probe_file.unlink()
    # the Python installation is shown read-only wherever it lives; `make` puts the venv inside the project
    python_home = [Path(sys.prefix).relative_to(ROOT).parts[0]] if Path(sys.prefix).is_relative_to(ROOT) else []
    assert seen["project"] == sorted([p.name for p in (DATASETS, ROOT / "graders")] + python_home)
    sandbox_code = {str(p.relative_to(ROOT)) for p in (ROOT / "graders" / "engine" / "sandbox").glob("*.py")}
    expected = sandbox_code | {"graders/__init__.py", "graders/engine/__init__.py", "graders/modules/__init__.py",
                               "graders/inline/__init__.py", "graders/learner/__init__.py",
                               "graders/learner/inline/__init__.py", "graders/learner/inline/switch.py"}
    for name in preload:
        if name.startswith("graders.modules."):
            parts = name.split(".")
            expected |= {"/".join(parts[:3]) + "/__init__.py", "/".join(parts) + ".py"}
    assert set(seen["code"]) == expected
    assert seen["input"] == "a,b\n1,2\n" and "listings.csv" in seen["data"]
    assert seen["write scratch"] == "ok"
    assert {k: v for k, v in seen.items() if k.startswith("write ") and k != "write scratch"} == {
        "write datasets": "OSError", "write inputs": "OSError", "write tmp": "OSError", "write root": "OSError"}
    assert seen["see solutions"] is False
    home = Path.home().resolve()       # only the folders on the way to a Python installation kept there
    python_in_home = {p.relative_to(home).parts[0] for p in box.python_paths([ROOT]) if home in p.parents}
    assert set(seen["home"]) == python_in_home


@needs_box
def test_closing_the_box_ends_every_process_in_it():
    zygote = Zygote(["numpy"])
    marker = f"time.sleep(600)  # {uuid.uuid4()}"       # this test's process, not another run's
    with Sandbox(zygote) as sandbox:
        sandbox.exec_cell("child", "import subprocess, sys\n"
                                   f"p = subprocess.Popen([sys.executable, '-c', 'import time; {marker}'],"
                                   " start_new_session=True)\n", 10)
        pid = sandbox._pid                    # the pid the grading process holds is the sandbox's own here
        assert "graders.engine.sandbox.zygote" in _cmdline(str(pid))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not _running(marker):
            time.sleep(0.1)
        assert _running(marker), "the learner's process did not start"
    bwrap = zygote._proc.pid
    zygote.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (_alive(pid, bwrap) or _running(marker)):
        time.sleep(0.1)
    assert not _alive(pid, bwrap)
    assert not _running(marker)


def _running(marker: str) -> bool:
    return any(marker in _cmdline(p) for p in os.listdir("/proc") if p.isdigit())


def _alive(*pids) -> bool:
    for pid in pids:
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            continue
    return False


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


WITHOUT_BOX = """
from graders.engine.sandbox import Sandbox, Zygote
from graders.engine.sandbox.probes import call_each
for _ in range(2):
    zygote = Zygote(["numpy"])
    with Sandbox(zygote) as sandbox:
        sandbox.exec_cell("a", "def f():\\n    return 41 + 1\\n", 10)
        print(sandbox.probe(call_each, ("f", [((), {})])).value[0]["value"], zygote.boxed)
    zygote.close()
"""


@pytest.mark.parametrize("env", [{"MLKATA_NO_BOX": "1"}, {"MLKATA_BWRAP": "/bin/false"}])
def test_without_the_box_grading_works_and_warns_once(env, tmp_path):
    run = subprocess.run([sys.executable, "-c", WITHOUT_BOX], check=False, capture_output=True, text=True, timeout=120,
                         env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["42", "False", "42", "False"]
    assert run.stderr.count("WARNING: submissions are NOT isolated") == 1, run.stderr


@needs_box
def test_a_listening_port_on_the_host_loopback_cannot_be_reached():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    zygote = Zygote(["numpy"])
    try:
        with Sandbox(zygote) as sandbox:
            sandbox.exec_cell("a", f"import socket\ndef reach():\n    try:\n"
                                   f"        socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
                                   "        return 'connected'\n    except OSError as exc:\n"
                                   "        return type(exc).__name__\n", 10)
            run = sandbox.probe(call_each, ("reach", [((), {})]))
    finally:
        zygote.close()
        server.close()
    assert run.value[0]["value"] == "ConnectionRefusedError"


@needs_box
def test_an_installed_package_in_a_shown_site_packages_is_masked_but_its_sandbox_side(tmp_path, monkeypatch):
    """A non-editable install puts the whole grader in site-packages, which the box shows: the package is
    replaced by an empty read-only folder holding only the sandbox-side files."""
    site = tmp_path / "site-packages"
    (site / "graders" / "modules" / "m02").mkdir(parents=True)
    for name, text in {"__init__.py": "", "modules/m02/spec.py": "ORACLE", "modules/m02/helpers.py": "HELPER"}.items():
        (site / "graders" / name).write_text(text)
    (tmp_path / "scratch").mkdir()
    monkeypatch.setattr(box, "python_paths", lambda private=(): [site])
    layout = box.Layout((site / "graders" / "__init__.py", site / "graders" / "modules" / "m02" / "helpers.py"), (),
                        tmp_path / "scratch", (), (site / "graders",))
    script = f"find {site} -type f | sort; touch {site}/graders/planted.py 2>/dev/null || echo read-only"
    run = subprocess.run(box.command(["/bin/sh", "-c", script], layout), check=False, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [f"{site}/graders/__init__.py", f"{site}/graders/modules/m02/helpers.py", "read-only"]
