"""The box: a submission sees nothing of the grader and reaches nothing outside its scratch folder.

Each route a dishonest submission could take to the grader's code or answers is tried in one
exercise of a numpy module (02_math) and of a torch module (06_deep_learning), all routes in one
notebook per module. In the box every cheating exercise scores 0 and every other keeps its points;
graded without the box (``Grader(box=False)``) the same routes score full marks, which proves each
cheat is real and would work if its route were open.
"""
from __future__ import annotations

import http.server
import os
import pickle
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from banks import describe, solution_notebook, submission

from graders.engine import registry
from graders.engine.paths import DATASETS, ROOT, SOLUTIONS, grader_files
from graders.engine.runner import Grader
from graders.engine.sandbox import Sandbox, Zygote, box
from graders.engine.sandbox.probes import call_each

pytestmark = pytest.mark.skipif(box.unavailable() is not None, reason=f"no box here: {box.unavailable()}")

MODULES = ("02_math", "06_deep_learning")
ANSWER_OF = '''
import json as _json
def _answer(notebook, grade_id):
    """The reference answer cell of an exercise, read from a notebook file."""
    for cell in _json.load(open(notebook))["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return "".join(cell["source"])
    raise LookupError(grade_id)
'''
PACKAGE_DIR = "import graders as _g, pathlib as _pl\n_pkg = _pl.Path(_g.__file__).resolve().parent\n"
# names are built at run time so that the static check (uses_grader_internals) does not see them
SPEC_SIDE = '".".join(["graders", "modules", "{module}", "{file}"])'
ENGINE_PATHS = '".".join(["graders", "engine", "paths"])'

# route -> module -> (exercise, cheating answer cell); {port} and {home} are filled in by the fixture
ROUTES = {
    "solutions folder": {
        "02_math": ("softmax", ANSWER_OF + PACKAGE_DIR + 'exec(_answer(_pkg.parent / "solutions" / "02_math.ipynb", '
                                                         '"softmax"))\n'),
        "06_deep_learning": ("scaled_dot_product_attention", ANSWER_OF + PACKAGE_DIR + 'exec(_answer(_pkg.parent / '
                             '"solutions" / "06_deep_learning.ipynb", "scaled_dot_product_attention"))\n'),
    },
    "importlib.import_module": {
        "02_math": ("gaussian_mle", ANSWER_OF + "import importlib\n_paths = importlib.import_module("
                    + ENGINE_PATHS + ')\nexec(_answer(_paths.SOLUTIONS / "02_math.ipynb", "gaussian_mle"))\n'),
        "06_deep_learning": ("warmup_cosine", "import importlib\nwarmup_cosine = importlib.import_module("
                             + SPEC_SIDE.format(module="m06_deep_learning", file="schedule") + ").lr_ref\n"),
    },
    "__import__": {
        "02_math": ("ridge_fit", "ridge_fit = __import__(" + SPEC_SIDE.format(module="m02_math", file="linalg")
                    + ', fromlist=["ridge_ref"]).ridge_ref\n'),
        "06_deep_learning": ("Linear", ANSWER_OF + "_paths = __import__(" + ENGINE_PATHS + ', fromlist=["x"])\n'
                             'exec(_answer(_paths.SOLUTIONS / "06_deep_learning.ipynb", "Linear"))\n'),
    },
    "spec_from_file_location": {
        "02_math": ("numerical_gradient", PACKAGE_DIR + "import importlib.util\n_spec = importlib.util."
                    "spec_from_file_location(" + SPEC_SIDE.format(module="m02_math", file="calculus")
                    + ', _pkg / "modules" / "m02_math" / "calculus.py")\n'
                    "_mod = importlib.util.module_from_spec(_spec)\n_spec.loader.exec_module(_mod)\n"
                    "numerical_gradient = _mod.central_ref\n"),
        "06_deep_learning": ("MLP", ANSWER_OF + PACKAGE_DIR + "import importlib.util\n_spec = importlib.util."
                             'spec_from_file_location("_paths", _pkg / "engine" / "paths.py")\n'
                             "_mod = importlib.util.module_from_spec(_spec)\n_spec.loader.exec_module(_mod)\n"
                             'exec(_answer(_mod.SOLUTIONS / "06_deep_learning.ipynb", "MLP"))\n'),
    },
    "runpy": {
        "02_math": ("gradient_descent", "import runpy\ngradient_descent = runpy.run_module("
                    + SPEC_SIDE.format(module="m02_math", file="calculus") + ')["descent_ref"]\n'),
        "06_deep_learning": ("set_seed", ANSWER_OF + "import runpy\n_paths = runpy.run_module(" + ENGINE_PATHS
                             + ')\nexec(_answer(_paths["SOLUTIONS"] / "06_deep_learning.ipynb", "set_seed"))\n'),
    },
    "reading the source and exec": {
        "02_math": ("pca", PACKAGE_DIR + '_file = _pkg / "modules" / "m02_math" / "linalg.py"\n'
                    '_ns = {"__name__": ' + SPEC_SIDE.format(module="m02_math", file="copy") + ', "__package__": '
                    '".".join(["graders", "modules", "m02_math"]), "__file__": str(_file)}\n'
                    'exec(compile(open(_file).read(), str(_file), "exec"), _ns)\npca = _ns["pca_ref"]\n'),
        "06_deep_learning": ("mlp_forward_backward", ANSWER_OF + PACKAGE_DIR + '_file = _pkg / "engine" / "paths.py"\n'
                             '_ns = {"__name__": "_paths", "__file__": str(_file)}\n'
                             'exec(compile(open(_file).read(), str(_file), "exec"), _ns)\n'
                             'exec(_answer(_ns["SOLUTIONS"] / "06_deep_learning.ipynb", "mlp_forward_backward"))\n'),
    },
    "objects in memory": {       # the speed budget's reference and the checkpoint's training loop lived here
        "02_math": ("pairwise_cosine", "import gc, types\ndef pairwise_cosine(A, B):\n"
                    "    for obj in gc.get_objects():\n"
                    "        if isinstance(obj, types.FunctionType) and 'cosine' in obj.__name__ and \\\n"
                    "                (obj.__module__ or '').startswith('graders'):\n"
                    "            return obj(A, B)\n"
                    "    raise LookupError('no reference in memory')\n"),
        "06_deep_learning": ("train_epoch", "import gc, types\ndef train_epoch(model, loader, optimizer, loss_fn):\n"
                             "    for obj in gc.get_objects():\n"
                             "        if isinstance(obj, types.FunctionType) and obj.__name__ == '_train' and \\\n"
                             "                (obj.__module__ or '').startswith('graders'):\n"
                             "            return obj(model, loader, optimizer, loss_fn, 1)\n"
                             "    raise LookupError('no training loop in memory')\n"),
    },
    "network": {
        "02_math": ("logsumexp", "import urllib.request\n"
                    "exec(urllib.request.urlopen('http://127.0.0.1:{port}/logsumexp', timeout=5).read().decode())\n"),
        "06_deep_learning": ("conv2d", "import urllib.request\n"
                             "exec(urllib.request.urlopen('http://127.0.0.1:{port}/conv2d', timeout=5).read()"
                             ".decode())\n"),
    },
    "home directory": {
        "02_math": ("welch_ttest", "exec(open('{home}/answers/welch_ttest.py').read())\n"),
        "06_deep_learning": ("BatchNorm1d", "exec(open('{home}/answers/BatchNorm1d.py').read())\n"),
    },
}
NO_CONTROL = {"objects in memory"}   # nothing of the grader is in memory, box or not: nothing to find
CALLS_A_CHEAT = {"fit"}               # 06's reference fit calls the notebook's train_epoch (a cheat here)


def reference_answer(module: str, exercise: str) -> str:
    for cell in solution_notebook(module).cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == exercise:
            return cell.source
    raise LookupError(exercise)


class _Answers(http.server.BaseHTTPRequestHandler):
    answers: dict[str, str] = {}

    def do_GET(self):  # noqa: N802 - the standard library's name
        body = self.answers.get(self.path.strip("/"), "").encode()
        self.send_response(200 if body else 404)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Each module's cheating notebook graded in the box and without it (a loopback server holds
    answers for the network route; a stand-in home directory holds them for the home route)."""
    home = tmp_path_factory.mktemp("home")
    (home / "answers").mkdir()
    for module in MODULES:
        for route in ("network", "home directory"):
            exercise = ROUTES[route][module][0]
            _Answers.answers[exercise] = reference_answer(module, exercise)
            (home / "answers" / f"{exercise}.py").write_text(reference_answer(module, exercise))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    results = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        for boxed in (True, False):
            with Grader(box=None if boxed else False) as grader:
                grader.prepare(MODULES)
                for module in MODULES:
                    cheats = {ex: source.replace("{port}", str(port)).replace("{home}", str(home))
                              for routes in ROUTES.values() for (ex, source) in [routes[module]]}
                    result = grader.grade(submission(module, cheats))
                    assert result.error is None, result.error
                    assert grader._zygote.boxed is boxed
                    results[boxed, module] = {ex.id: ex for ex in result.exercises}
    server.shutdown()
    return results


def assert_route_closed(graded, route, module):
    exercise = ROUTES[route][module][0]
    boxed = graded[True, module][exercise]
    assert boxed.points == 0, describe(boxed)
    if route not in NO_CONTROL:      # the same cheat, without the box, takes every point
        open_ = graded[False, module][exercise]
        assert open_.points == open_.max_points, describe(open_)
    return boxed


@pytest.mark.parametrize("module", MODULES)
def test_the_reference_notebooks_cannot_be_read(graded, module):
    ex = assert_route_closed(graded, "solutions folder", module)
    assert any("FileNotFoundError" in note for note in ex.notes), ex.notes


@pytest.mark.parametrize("module", MODULES)
def test_import_module_with_a_built_name_finds_no_grader_code(graded, module):
    ex = assert_route_closed(graded, "importlib.import_module", module)
    assert any("ModuleNotFoundError" in note for note in ex.notes), ex.notes


@pytest.mark.parametrize("module", MODULES)
def test_dunder_import_finds_no_grader_code(graded, module):
    ex = assert_route_closed(graded, "__import__", module)
    assert any("ModuleNotFoundError" in note for note in ex.notes), ex.notes


@pytest.mark.parametrize("module", MODULES)
def test_spec_from_file_location_finds_no_grader_file(graded, module):
    ex = assert_route_closed(graded, "spec_from_file_location", module)
    assert any("FileNotFoundError" in note for note in ex.notes), ex.notes


@pytest.mark.parametrize("module", MODULES)
def test_runpy_finds_no_grader_code(graded, module):
    ex = assert_route_closed(graded, "runpy", module)
    assert any("ImportError" in note or "ModuleNotFoundError" in note for note in ex.notes), ex.notes


@pytest.mark.parametrize("module", MODULES)
def test_reading_the_grader_source_to_exec_it_fails(graded, module):
    ex = assert_route_closed(graded, "reading the source and exec", module)
    assert any("FileNotFoundError" in note for note in ex.notes), ex.notes


@pytest.mark.parametrize("module", MODULES)
def test_the_heap_holds_no_reference_to_call(graded, module):
    assert_route_closed(graded, "objects in memory", module)


@pytest.mark.parametrize("module", MODULES)
def test_a_connection_fails_inside_the_cell_and_the_rest_grades(graded, module):
    ex = assert_route_closed(graded, "network", module)
    assert any("URLError" in note or "ConnectionRefused" in note for note in ex.notes), ex.notes


@pytest.mark.parametrize("module", MODULES)
def test_the_home_directory_cannot_be_read(graded, module):
    ex = assert_route_closed(graded, "home directory", module)
    assert any("FileNotFoundError" in note for note in ex.notes), ex.notes


@pytest.mark.parametrize("module", MODULES)
def test_every_exercise_that_does_not_cheat_keeps_its_points(graded, module):
    cheating = {routes[module][0] for routes in ROUTES.values()}
    honest = [ex for ex_id, ex in graded[True, module].items() if ex_id not in cheating | CALLS_A_CHEAT]
    assert honest
    for ex in honest:
        assert ex.points == ex.max_points, describe(ex)


# ------------------------------------------------------------------ what is inside
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
        import io

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
    assert seen["project"] == sorted(p.name for p in (DATASETS, ROOT / "graders"))
    sandbox_code = {str(p.relative_to(ROOT)) for p in (ROOT / "graders" / "engine" / "sandbox").glob("*.py")}
    expected = sandbox_code | {"graders/__init__.py", "graders/engine/__init__.py", "graders/modules/__init__.py"}
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


def test_closing_the_box_ends_every_process_in_it():
    zygote = Zygote(["numpy"])
    with Sandbox(zygote) as sandbox:
        sandbox.exec_cell("child", "import subprocess, sys\n"
                                   "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'],"
                                   " start_new_session=True)\n", 10)
        pid = sandbox._pid
        os.kill(pid, 0)                       # the pid the grading process holds is the real one
    bwrap = zygote._proc.pid
    zygote.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pid, bwrap):
        time.sleep(0.1)
    assert not _alive(pid, bwrap)
    assert not any("time.sleep(600)" in _cmdline(p) for p in os.listdir("/proc") if p.isdigit())


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
    run = subprocess.run([sys.executable, "-c", WITHOUT_BOX], capture_output=True, text=True, timeout=120,
                         env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["42", "False", "42", "False"]
    assert run.stderr.count("WARNING: submissions are NOT isolated") == 1, run.stderr


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
    run = subprocess.run(box.command(["/bin/sh", "-c", script], layout), capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [f"{site}/graders/__init__.py", f"{site}/graders/modules/m02/helpers.py", "read-only"]
