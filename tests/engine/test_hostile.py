"""Hostile submissions: each costs at most its own exercise, ends with a clear status,
and the rest of the notebook still grades, in bounded time."""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from banks import describe, solution_notebook, submission

from graders.engine.notebook import submission_from_notebook
from graders.engine.paths import EXERCISES, SOLUTIONS
from graders.engine.results import Status
from graders.engine.runner import Grader

MODULE = "02_math"
SCALE = 0.3          # every time limit x0.3: the same code paths, a shorter wait


@pytest.fixture(scope="module")
def quick_grader():
    g = Grader(time_scale=SCALE)
    g.prepare([MODULE])
    yield g
    g.close()


def grade(grader, replace):
    started = time.monotonic()
    result = grader.grade(submission(MODULE, replace))
    assert result.error is None, result.error
    return {ex.id: ex for ex in result.exercises}, time.monotonic() - started


def assert_untouched_exercises_pass(results, hostile):
    for ex_id, ex in results.items():
        if ex_id not in hostile:
            assert ex.status is Status.PASSED, describe(ex)


LOOP_IGNORING_SIGNALS = """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
while True:
    pass
"""


def test_endless_loops_cost_only_their_exercise(quick_grader):
    hostile = {
        "softmax": LOOP_IGNORING_SIGNALS,                                  # at the top of a cell
        "logsumexp": "def logsumexp(z, axis=None, keepdims=False):\n    while True:\n        pass\n",
        "pca": "import signal\n" + "def pca(X, k):\n    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
               "    signal.signal(signal.SIGINT, signal.SIG_IGN)\n    while True:\n        pass\n",
    }
    results, seconds = grade(quick_grader, hostile)
    assert results["softmax"].status is Status.TIMEOUT
    assert "did not finish" in results["softmax"].feedback[0]
    for ex_id in ("logsumexp", "pca"):
        assert results[ex_id].status is Status.TIMEOUT, describe(results[ex_id])
        assert results[ex_id].points == 0
        assert any("endless loop" in line for line in results[ex_id].feedback)
    assert_untouched_exercises_pass(results, hostile)
    assert seconds < 60, f"three endless loops took {seconds:.0f} s to grade"


def test_exits_and_interrupts_are_learner_errors(quick_grader):
    hostile = {
        "softmax": "import sys\nsys.exit(0)\n",
        "logsumexp": "import os\nos._exit(0)\n",
        "numerical_gradient": "raise SystemExit(3)\n",
        "gradient_descent": "def gradient_descent(grad, x0, lr, n_steps, momentum=0.0):\n"
                            "    raise KeyboardInterrupt\n",
        "ridge_fit": "import os\ndef ridge_fit(X, y, alpha):\n    os._exit(0)\n",
        "pca": "import sys\ndef pca(X, k):\n    sys.exit('bye')\n",
    }
    results, _ = grade(quick_grader, hostile)
    for ex_id in hostile:
        ex = results[ex_id]
        assert ex.status is Status.ERROR, describe(ex)
        assert ex.points == 0
    assert "SystemExit" in " ".join(results["softmax"].feedback)
    assert "KeyboardInterrupt" in " ".join(results["gradient_descent"].feedback)
    assert "process" in " ".join(results["ridge_fit"].feedback)
    assert_untouched_exercises_pass(results, hostile)


def test_memory_blow_ups_are_contained(grader):
    # normal time limits. pca grows in a loop, 80 MB a step, until the cap (RLIMIT_AS, the address space)
    # refuses one: np.empty reserves the space without writing it, so the cap is reached in milliseconds on a
    # loaded machine too (np.ones spent seconds writing pages and could meet the time limit first)
    hostile = {
        "softmax": "big = [0] * (10 ** 11)\n",
        "logsumexp": "def logsumexp(z, axis=None, keepdims=False):\n    return np.ones((10 ** 6, 10 ** 6))\n",
        "pca": "def pca(X, k):\n    chunks = []\n    while True:\n        chunks.append(np.empty(10 ** 7))\n",
    }
    results, _ = grade(grader, hostile)
    for ex_id in hostile:
        assert results[ex_id].status is Status.ERROR, describe(results[ex_id])
    assert "MemoryError" in " ".join(results["pca"].feedback)
    assert_untouched_exercises_pass(results, hostile)


def test_patched_numpy_and_always_equal_objects_do_not_fool_the_verdict(quick_grader):
    hostile = {
        "softmax": "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
                   "def softmax(z, axis=-1):\n    return np.zeros_like(np.asarray(z, dtype=float))\n",
        "logsumexp": "class Anything:\n    def __eq__(self, other):\n        return True\n"
                     "    def __float__(self):\n        return 0.0\n"
                     "def logsumexp(z, axis=None, keepdims=False):\n    return Anything()\n",
        "ridge_fit": "class Sneaky(float):\n    def __eq__(self, other):\n        return True\n"
                     "def ridge_fit(X, y, alpha):\n    return np.zeros(np.shape(X)[1]), Sneaky(0.0)\n",
    }
    results, _ = grade(quick_grader, hostile)
    for ex_id in hostile:
        assert results[ex_id].points <= 1, describe(results[ex_id])  # at most an input-not-mutated point
        assert results[ex_id].status is Status.INCORRECT, describe(results[ex_id])
    assert "an object of type Anything" in " ".join(results["logsumexp"].feedback)
    assert_untouched_exercises_pass(results, hostile)


def test_walking_the_stack_finds_no_expected_answer(quick_grader):
    snoop = '''
import gc, sys
def welch_ttest(a, b):
    found = []
    frame = sys._getframe(1)
    while frame is not None:
        for value in frame.f_locals.values():
            if isinstance(value, tuple) and len(value) == 3 and all(isinstance(v, float) for v in value):
                found.append(value)
        frame = frame.f_back
    for obj in gc.get_objects():
        if isinstance(obj, tuple) and len(obj) == 3 and all(type(v) is float for v in obj):
            found.append(obj)
    return found[0] if found else (0.0, 1.0, 1.0)
'''
    results, _ = grade(quick_grader, {"welch_ttest": snoop})
    assert results["welch_ttest"].points == 0, describe(results["welch_ttest"])


def test_printing_warnings_and_relative_files_cost_nothing(quick_grader, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    noisy = '''
import warnings
print("x" * 5_000_000)
def pairwise_cosine(A, B):
    print("y" * 1_000_000)
    warnings.warn("a library warning", RuntimeWarning)
    with open("scratch.txt", "w") as fh:
        fh.write("learner output")
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    na = np.linalg.norm(A, axis=1, keepdims=True)
    nb = np.linalg.norm(B, axis=1, keepdims=True)
    An = np.divide(A, na, out=np.zeros_like(A), where=na > 0)
    Bn = np.divide(B, nb, out=np.zeros_like(B), where=nb > 0)
    return An @ Bn.T
'''
    results, _ = grade(quick_grader, {"pairwise_cosine": noisy})
    assert results["pairwise_cosine"].status is Status.PASSED, describe(results["pairwise_cosine"])
    assert not (tmp_path / "scratch.txt").exists()
    assert not (Path.cwd() / "scratch.txt").exists()


def test_syntax_errors_and_missing_cells_are_reported_per_exercise(grader):
    nb = solution_notebook(MODULE)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "pca"]
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "softmax":
            cell.source = "def softmax(z, axis=-1)\n    return z\n"
    results = {ex.id: ex for ex in grader.grade(submission_from_notebook(nb, "02_math.ipynb")).exercises}
    assert results["pca"].status is Status.ERROR
    assert "missing" in results["pca"].feedback[0]
    assert results["softmax"].status is Status.ERROR
    assert "SyntaxError" in " ".join(results["softmax"].feedback)
    assert_untouched_exercises_pass(results, {"pca", "softmax"})


def test_a_cell_that_fails_after_defining_its_function_is_still_graded(grader):
    source = (submission(MODULE).answer("softmax") + "\nassert softmax(np.zeros(2))[0] == 0.7, 'my own test'\n")
    results = {ex.id: ex for ex in grader.grade(submission(MODULE, {"softmax": source}), only=["softmax"]).exercises}
    assert results["softmax"].status is Status.PASSED
    assert "AssertionError" in results["softmax"].notes[0]


def test_corrupt_and_foreign_files_do_not_stop_the_others(grader, tmp_path):
    broken = tmp_path / "01_broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    foreign = tmp_path / "notes.ipynb"
    foreign.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    good = tmp_path / "02_math.ipynb"
    good.write_bytes((Path("solutions") / "02_math.ipynb").read_bytes() if Path("solutions").exists()
                     else (SOLUTIONS / "02_math.ipynb").read_bytes())
    report = grader.grade_paths([broken, foreign, good, tmp_path / "missing.ipynb"])
    errors = [nb.error for nb in report.notebooks]
    assert "not a readable notebook" in errors[0]
    assert errors[1] and "notebook" in errors[1]
    assert errors[2] is None and report.notebooks[2].points == report.notebooks[2].max_points
    assert "no such file" in errors[3]


def test_grading_never_writes_to_the_notebook(grader, tmp_path):
    path = tmp_path / "02_math.ipynb"
    path.write_bytes((EXERCISES / "02_math.ipynb").read_bytes())
    before = hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns
    grader.grade_notebook(path)
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["02_math.ipynb"]


def test_a_notebook_of_another_version_is_refused_clearly(grader):
    nb = solution_notebook(MODULE)
    nb.metadata["mlkata"]["version"] = "0"
    result = grader.grade(submission_from_notebook(nb, "02_math.ipynb"))
    assert result.exercises == ()
    assert "version 0" in result.error and "make reset" in result.error
