"""Inline check()/hint()/solution(): same verdicts as `make grade`, live sources, wiring."""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import nbformat
import pytest
from banks import BANKS, solution_notebook

from graders.engine import live
from graders.engine.notebook import submission_from_notebook
from graders.engine.paths import EXERCISES, ROOT
from graders.instructor.wire_sources import WIRING_ID, wire
from graders.learner import history
from graders.learner.inline import connect
from graders.learner.inline.session import InlineSession
from graders.render.inline_html import ResultView
from graders.render.json_report import notebook_dict

MODULE = "02_math"
REFERENCE = dict(submission_from_notebook(solution_notebook(MODULE)).answers)
MIXED = {   # one answer per outcome the grader knows
    "softmax": REFERENCE["softmax"],
    "logsumexp": (BANKS / "mistakes" / MODULE / "logsumexp__naive.py").read_text(),
    "numerical_gradient": "def numerical_gradient(f, x, eps=1e-5):\n    return 1 / 0\n",
    "gradient_descent": "def gradient_descent(grad, x0, lr, n_steps, momentum=0.0:\n    pass\n",
    "ridge_fit": REFERENCE["ridge_fit"] + "\nraise ValueError('left over from testing')\n",
    "bootstrap_ci": "%time _ = 1\n" + REFERENCE["bootstrap_ci"],
}


@pytest.fixture(autouse=True)
def temporary_home(tmp_path, monkeypatch):
    monkeypatch.setenv("MLKATA_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MLKATA_SANDBOX", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


def learner_notebook(path, answers):
    """The released exercise notebook with some answer cells filled in, saved at ``path``."""
    nb = nbformat.read(EXERCISES / f"{MODULE}.ipynb", as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    nbformat.write(nb, path)
    return path


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """A real IPython shell standing in for the kernel (input history and all)."""
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    yield sh
    InteractiveShell.clear_instance()


def comparable(result) -> dict:
    data = notebook_dict(result)
    data.pop("path")
    return data


@pytest.mark.filterwarnings("ignore::RuntimeWarning")   # the public test cells run in-process
def test_inline_check_matches_make_grade_on_the_same_notebook(grader, shell, tmp_path):
    path = learner_notebook(tmp_path / f"{MODULE}.ipynb", MIXED)
    env = {**os.environ, "MLKATA_HOME": str(tmp_path / "cli-home")}
    out = tmp_path / "cli.json"
    run = subprocess.run([sys.executable, "-m", "graders", "grade", str(path), "--json", str(out)], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    (cli,) = json.loads(out.read_text())["notebooks"]
    cli.pop("path")
    # the kernel ran the wiring cell and every cell of the saved notebook, as a learner would
    shell.run_cell(f"from graders.learner.inline import connect\ncheck, hint, solution = connect({MODULE!r}, {str(path)!r})",
                   store_history=True)
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and "connect(" not in cell.source and "check(" not in cell.source:
            shell.run_cell(cell.source, store_history=True)
    session = shell.user_ns["check"].__self__
    session._grader = grader
    inline_all = session.grade()
    assert comparable(inline_all) == comparable(grader.grade_notebook(path)) == cli
    statuses = {e["id"]: e["status"] for e in cli["exercises"]}
    assert statuses["softmax"] == "passed" and statuses["logsumexp"] == "incorrect"
    assert statuses["numerical_gradient"] == "error" and statuses["pca"] == "not_attempted"
    for exercise in cli["exercises"]:       # one exercise at a time: the same as its row in the full grade
        (one,) = comparable(session.grade(exercise["id"]))["exercises"]
        assert one == exercise


def test_unsaved_live_source_wins_over_the_saved_file(grader, tmp_path):
    path = learner_notebook(tmp_path / "nb.ipynb", {"logsumexp": REFERENCE["logsumexp"]})   # softmax saved as stub
    inputs = ["import numpy as np", REFERENCE["softmax"], 'check("softmax")']
    session = InlineSession(MODULE, notebook=path, inputs=inputs, grader=grader)
    result = session.grade()
    by_id = {e.id: e for e in result.exercises}
    assert by_id["softmax"].status.value == "passed"          # run in the kernel, never saved
    assert by_id["logsumexp"].status.value == "passed"        # saved, not run in this kernel: the file counts
    assert by_id["pca"].status.value == "not_attempted"


def test_the_most_recent_definition_is_graded():
    wrong = "def softmax(z, axis=-1):\n    return z\n"
    names = live.answer_names(MODULE)
    scratch = "p = softmax(np.ones(3))\nprint(p)"            # uses softmax, does not define it
    assert live.pick_live_sources([wrong, REFERENCE["softmax"], scratch], names)["softmax"] == REFERENCE["softmax"]
    assert live.pick_live_sources([REFERENCE["softmax"], wrong], names)["softmax"] == wrong
    assert names["gaussian_mle"] == {"gaussian_mle", "gaussian_log_likelihood"}
    half = "def gaussian_mle(x):\n    return 0, 1\n"          # only one of the cell's two functions
    assert "gaussian_mle" not in live.pick_live_sources([half], names)
    stub_with_import = "from sklearn.model_selection import KFold\n\ndef target_encode(train):\n    pass\n"
    assert live.defined_names(stub_with_import, api_only=True) == {"target_encode"}   # imports are not required
    broken = "def softmax(z, axis=-1:\n    pass\n"            # the latest attempt, even with a syntax error
    assert live.pick_live_sources([REFERENCE["softmax"], broken], names)["softmax"] == broken


def test_check_shows_html_in_jupyter_and_text_elsewhere(grader, tmp_path, capsys):
    path = learner_notebook(tmp_path / "nb.ipynb", {"softmax": REFERENCE["softmax"]})
    session = InlineSession(MODULE, notebook=path, inputs=[], grader=grader)
    assert session.check("softmax") is None
    out = capsys.readouterr().out
    assert "softmax: 10/10 points, passed" in out and 'solution("softmax")' in out
    view = ResultView(session.grade("logsumexp"), "logsumexp")
    assert "<table" in view._repr_html_() and "not attempted" in view._repr_html_()
    assert 'hint("logsumexp")' in repr(view)
    events = history.read()
    assert {(e["exercise"], e["source"]) for e in events} == {("softmax", "check"), ("logsumexp", "check")}


def test_unknown_exercise_is_named_with_a_suggestion(grader, capsys):
    session = InlineSession(MODULE, inputs=[], grader=grader)
    session.check("softmx")
    out = capsys.readouterr().out
    assert "no exercise 'softmx'" in out and "Did you mean 'softmax'?" in out
    assert history.read() == []


def test_hints_come_one_tier_per_call_and_survive_a_restart(capsys):
    first = InlineSession(MODULE, inputs=[])
    first.hint("softmax")
    assert "Hint 1 of 3" in capsys.readouterr().out
    first.hint("softmax")
    restarted = InlineSession(MODULE, inputs=[])      # a new kernel: the tier comes from the history
    restarted.hint("softmax")
    out = capsys.readouterr().out
    assert "Hint 3 of 3" in out and "1. Softmax turns" in out and "That was the last hint" in out
    restarted.hint("softmax")
    assert "Hint 3 of 3" in capsys.readouterr().out
    assert [e["tier"] for e in history.read() if e["event"] == "hint"] == [1, 2, 3, 3]


def test_solution_opens_after_passing_or_on_confirmed_request(grader, tmp_path, capsys):
    session = InlineSession(MODULE, notebook=learner_notebook(tmp_path / "nb.ipynb", {}), inputs=[], grader=grader)
    session.solution("softmax")
    out = capsys.readouterr().out
    assert "opens once it passes" in out and "np.exp" not in out
    assert history.read() == []
    session.solution("softmax", confirm=True)
    out = capsys.readouterr().out
    assert "shown on request" in out and "z.max(axis=axis, keepdims=True)" in out and "BEGIN SOLUTION" not in out
    (event,) = history.read()
    assert event["event"] == "solution" and event["confirmed"] is True and event["passed"] is False
    session._inputs = [REFERENCE["logsumexp"]]
    session.check("logsumexp")
    session.solution("logsumexp")
    assert "yours passed" in capsys.readouterr().out


def test_check_is_a_no_op_inside_the_sandbox_and_nbgrader(grader, monkeypatch, capsys):
    # a learner who calls check() inside an answer cell: the grader runs it in the sandbox, where it does nothing
    source = (f"from graders.learner.inline import connect\ncheck, hint, solution = connect({MODULE!r})\n"
              + REFERENCE["softmax"] + '\ncheck("softmax")\nhint("softmax")\n')
    session = InlineSession(MODULE, inputs=[source], grader=grader)
    (ex,) = session.grade("softmax").exercises
    assert ex.status.value == "passed" and not ex.notes
    assert [e["event"] for e in history.read()] == ["grade"]      # only this process's own record
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    check, hint, solution = connect(MODULE)
    assert check("softmax") is None and hint("softmax") is None and solution("softmax", confirm=True) is None
    assert capsys.readouterr().out == "" and len(history.read()) == 1


def test_wiring_is_idempotent_and_never_graded():
    source = solution_notebook(MODULE)
    assert wire(copy.deepcopy(source)) is False, "solutions/02_math.ipynb is not wired: run `python -m graders wire`"
    bare = copy.deepcopy(source)
    bare.cells = [c for c in bare.cells if not str(c.metadata.get("nbgrader", {}).get("grade_id", "")).startswith(
        ("check_", WIRING_ID))]
    assert wire(bare) is True and wire(bare) is False
    assert nbformat.writes(bare) == nbformat.writes(source)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in source.cells]
    assert ids.index(WIRING_ID) == ids.index("setup") + 1
    # answer, public checks, check("<id>"), then the graded hidden-test cell
    assert ids.index("check_softmax") == ids.index("public_softmax") + 1 == ids.index("test_softmax") - 1
    sub = submission_from_notebook(source)
    assert [label for label, _ in sub.setup] == ["setup cell 1"] and all("check(" not in s for _, s in sub.answers)


def test_the_wiring_cell_of_the_exercise_notebook_connects(shell):
    nb = nbformat.read(EXERCISES / f"{MODULE}.ipynb", as_version=4)
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == WIRING_ID]
    assert shell.run_cell(cell.source, store_history=True).success
    assert isinstance(shell.user_ns["check"].__self__, InlineSession)
    assert shell.user_ns["check"].__self__.notebook_path() == EXERCISES / f"{MODULE}.ipynb"


def _top_level_names(source: str) -> set[str]:
    """The names a cell binds in the notebook's namespace (not inside its functions or classes)."""
    import ast

    bound: set[str] = set()

    class Binder(ast.NodeVisitor):
        def visit_Name(self, node):
            if isinstance(node.ctx, ast.Store | ast.Del):
                bound.add(node.id)

        def visit_FunctionDef(self, node):
            bound.add(node.name)                  # its body binds locals only

        visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

        def visit_Lambda(self, node):
            pass

        def visit_alias(self, node):
            bound.add((node.asname or node.name).split(".")[0])

    Binder().visit(ast.parse(source))
    return bound


@pytest.mark.parametrize("path", sorted(EXERCISES.glob("*.ipynb")), ids=lambda p: p.stem)
def test_no_cell_of_a_notebook_rebinds_the_inline_check_functions(path):
    """A public example that assigns `check = [...]` broke every check("...") cell below it (01_python did)."""
    from IPython.core.inputtransformer2 import TransformerManager

    nb = nbformat.read(path, as_version=4)
    inline = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "mlkata_inline"]
    assert len(inline) == 1
    names = _top_level_names(inline[0].source) - {"connect"}
    assert names == {"check", "hint", "solution"}
    clashes = [(c.metadata.get("nbgrader", {}).get("grade_id"), sorted(names & _top_level_names(
        TransformerManager().transform_cell(c.source)))) for c in nb.cells if c.cell_type == "code" and c is not inline[0]]
    assert [clash for clash in clashes if clash[1]] == []
