"""Reading learner notebooks: which cells are graded, and errors a learner can act on."""
from __future__ import annotations

import nbformat
import pytest

from graders.engine.notebook import (
    NotebookError,
    nbgrader_meta,
    python_source,
    read_submission,
    submission_from_notebook,
)
from graders.engine.paths import EXERCISES, SOLUTIONS


def test_setup_and_answer_cells_are_found_in_notebook_order():
    sub = read_submission(SOLUTIONS / "02_math.ipynb")
    assert sub.module == "02_math" and sub.version == "1"
    assert [label for label, _ in sub.setup] == ["setup cell 1"]
    assert [grade_id for grade_id, _ in sub.answers][:3] == ["softmax", "logsumexp", "numerical_gradient"]
    assert "def softmax" in sub.answer("softmax") and sub.answer("nope") is None


def test_module_falls_back_to_the_file_name_when_metadata_is_gone(tmp_path):
    with open(EXERCISES / "02_math.ipynb", encoding="utf-8") as fh:
        nb = nbformat.read(fh, as_version=4)
    nb.metadata.pop("mlkata")
    sub = submission_from_notebook(nb, str(tmp_path / "02_math.ipynb"))
    assert sub.module == "02_math" and sub.version is None
    assert submission_from_notebook(nb, "scratch.ipynb").module is None


@pytest.mark.parametrize("content,message", [
    ("{not json", "not a readable notebook"),
    ('{"cells": 3}', "not a valid notebook"),
    ("", "not a readable notebook"),
])
def test_broken_files_raise_learner_friendly_errors(tmp_path, content, message):
    path = tmp_path / "02_math.ipynb"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NotebookError, match=message):
        read_submission(path)


def test_magics_become_calls_the_sandbox_ignores():
    source = "%timeit f(1)\n!ls\nx = 1\n"
    converted = python_source(source)
    assert "get_ipython()" in converted and "x = 1" in converted
    assert python_source("y = 2\n") == "y = 2\n"


def test_nbgrader_metadata_of_any_cell():
    answer = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"grade_id": "f", "solution": True}})
    assert nbgrader_meta(answer) == {"grade_id": "f", "solution": True}
    assert nbgrader_meta(nbformat.v4.new_markdown_cell("a lesson")) == {}
    assert nbgrader_meta({"metadata": {"nbgrader": None}}) == {} and nbgrader_meta({}) == {}
