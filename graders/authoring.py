"""Helpers for writing nbgrader source notebooks from Python (authoring aid).

The committed ``solutions/*.ipynb`` files are the source of truth; these helpers
only make the first draft of a module reproducible and its metadata consistent:

    nb = new_module("02_math", "1", [lesson(intro), setup_cell("import numpy as np"),
                                      lesson("..."), answer("softmax", src), tests("softmax", src, 10)])
    save(nb, "solutions/02_math.ipynb")
"""
from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def _nbg(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id, "schema_version": 3}
    if points is not None:
        meta["points"] = points
    return meta


def lesson(text: str):
    return new_markdown_cell(text.strip("\n"))


def setup_cell(source: str, grade_id: str = "setup"):
    cell = new_code_cell(source.strip("\n"))
    cell.metadata = {"nbgrader": _nbg(grade_id, locked=True), "tags": ["setup"]}
    cell.id = grade_id.replace("_", "-")
    return cell


def answer(exercise_id: str, source: str):
    cell = new_code_cell(source.strip("\n"))
    cell.metadata = {"nbgrader": _nbg(exercise_id, solution=True)}
    cell.id = f"answer-{exercise_id}".replace("_", "-")
    return cell


def tests(exercise_id: str, source: str, points: float):
    cell = new_code_cell(source.strip("\n"))
    cell.metadata = {"nbgrader": _nbg(f"test_{exercise_id}", grade=True, locked=True, points=points)}
    cell.id = f"test-{exercise_id}".replace("_", "-")
    return cell


def new_module(module_id: str, version: str, cells, title: str = ""):
    nb = new_notebook(cells=list(cells))
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "mlkata": {"module": module_id, "version": version, "title": title},
    }
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.id = f"{module_id.replace('_', '-')}-md-{i:02d}"
    return nb


def save(nb, path: str) -> None:
    nbformat.validate(nb)
    with open(path, "w", encoding="utf-8") as fh:
        nbformat.write(nb, fh)
