"""The class bench's Jupyter floor (benchmarks/section_class.py) runs what nbgrader's autograde must run before
any hidden test, as issue 14 defines it: each submission's setup, answer and public example cells, in notebook
order; never a cell that runs this grader (``check("...")``, the inline wiring) or a hidden-test cell.

The floor leaves the lessons' demo cells (plots) out, which is only honest while no public example uses a name
that a demo cell alone defines: such an example would stop at a NameError in the floor and make it cheaper
than nbgrader's real work. The bench's speed figures themselves are printed, never asserted.
"""
from __future__ import annotations

import ast
import importlib.util

import nbformat
import pytest

from graders.engine.notebook import SETUP_TAG, nbgrader_meta, python_source
from graders.engine.paths import EXERCISES, ROOT

NOTEBOOKS = sorted(EXERCISES.glob("[0-9][0-9]_*.ipynb"))


def _bench():
    spec = importlib.util.spec_from_file_location("section_class", ROOT / "benchmarks" / "section_class.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _kind(cell) -> str:
    grade_id = str(nbgrader_meta(cell).get("grade_id") or "")
    if SETUP_TAG in (cell.metadata.get("tags") or []):
        return "setup"
    if nbgrader_meta(cell).get("solution") and grade_id:
        return "answer"
    if grade_id.startswith("public_"):
        return "public"
    return "demo" if not grade_id else "grader"     # check_, test_, mlkata_inline


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names the cell binds, names it reads)."""
    tree = ast.parse(python_source(source))
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else read).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return bound, read


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_floor_runs_the_setup_answer_and_public_example_cells_in_notebook_order(path):
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    wanted = [python_source(c.source) for c in code if _kind(c) in ("setup", "answer", "public")]
    bench = _bench()
    assert bench.floor_sources(nb, public=True) == wanted
    assert bench.floor_sources(nb, public=False) == [python_source(c.source) for c in code
                                                     if _kind(c) in ("setup", "answer")]
    answers = sum(_kind(c) == "answer" for c in code)
    assert answers and sum(_kind(c) == "public" for c in code) == answers, "one public example per answer"
    # plain asserts: an example calling check() would put this grader's own work in the floor
    assert not any("check(" in c.source for c in code if _kind(c) == "public")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_public_example_needs_a_name_only_a_demo_cell_defines(path):
    nb = nbformat.read(path, as_version=4)
    demo, floor, needs = set(), set(), {}
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        bound, read = _names(cell.source)
        kind = _kind(cell)
        if kind == "demo":
            demo |= bound
        elif kind in ("setup", "answer", "public"):
            floor |= bound
            if kind == "public":
                needs[nbgrader_meta(cell)["grade_id"]] = read - bound
    for example, names in needs.items():
        assert not (names & demo) - floor, f"{example} uses {sorted((names & demo) - floor)} from a demo cell"
