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


def test_reading_notebooks_skips_jsonschemas_iri_grammars_but_still_validates():
    # importing rfc3987_syntax compiles 38 grammars (seconds of every cold grade); notebook schemas never
    # use the formats it checks, so the grader's process does without it, and validation still works
    import subprocess
    import sys

    code = ("import sys, graders, nbformat\n"
            "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x = 1')])\n"
            "nbformat.validate(nb)\n"
            "nb.cells[0]['cell_type'] = 'nonsense'\n"
            "try:\n    nbformat.validate(nb)\nexcept nbformat.ValidationError:\n    print('invalid caught')\n"
            "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is not None)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["invalid", "caught", "False"]
