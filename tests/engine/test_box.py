"""The box: a submission sees nothing of the grader and reaches nothing outside its scratch folder.

Each route a dishonest submission could take to the grader's code or answers is tried in one
exercise of a numpy module (02_math) and of a torch module (06_deep_learning), all routes in one
notebook per module. In the box every cheating exercise scores 0 and every other keeps its points;
graded without the box (``Grader(box=False)``) the same routes score full marks, which proves each
cheat is real and would work if its route were open.
"""
from __future__ import annotations

import http.server
import threading
from typing import ClassVar

import pytest
from banks import describe, solution_notebook, submission

from graders.engine.runner import Grader
from graders.engine.sandbox import box

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
        "02_math": ("pairwise_cosine", ("import gc, types\ndef pairwise_cosine(A, B):\n"
                    "    for obj in gc.get_objects():\n"
                    "        if isinstance(obj, types.FunctionType) and 'cosine' in obj.__name__ and \\\n"
                    "                (obj.__module__ or '').startswith('graders'):\n"
                    "            return obj(A, B)\n"
                    "    raise LookupError('no reference in memory')\n")),
        "06_deep_learning": ("train_epoch", ("import gc, types\ndef train_epoch(model, loader, optimizer, loss_fn):\n"
                             "    for obj in gc.get_objects():\n"
                             "        if isinstance(obj, types.FunctionType) and obj.__name__ == '_train' and \\\n"
                             "                (obj.__module__ or '').startswith('graders'):\n"
                             "            return obj(model, loader, optimizer, loss_fn, 1)\n"
                             "    raise LookupError('no training loop in memory')\n")),
    },
    "network": {
        "02_math": ("logsumexp", ("import urllib.request\n"
                    "exec(urllib.request.urlopen('http://127.0.0.1:{port}/logsumexp', timeout=5).read().decode())\n")),
        "06_deep_learning": ("conv2d", ("import urllib.request\n"
                             "exec(urllib.request.urlopen('http://127.0.0.1:{port}/conv2d', timeout=5).read()"
                             ".decode())\n")),
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
    answers: ClassVar[dict[str, str]] = {}

    def do_GET(self):
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


def test_a_python_reached_through_a_linked_folder_is_still_boxed(tmp_path):
    """A virtual environment reached through a symbolic link (a worktree's .venv linked to another checkout's):
    the box shows the installation at its real path only, so bwrap could not start the linked path, the box's
    probe failed, and grading ran unboxed with nothing but a warning. The box now starts Python from its real
    folder (``box.interpreter``)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable)
    link = tmp_path / "linked-python"
    os.symlink(exe.parent.parent, link)
    project = Path(box.package_dir()).parent
    check = "from graders.engine.sandbox import box; print(box.unavailable())"
    run = subprocess.run([str(link / exe.parent.name / exe.name), "-c", check], capture_output=True, text=True,
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(project)}, timeout=120)
    assert run.stdout.strip() == "None", run.stdout + run.stderr
