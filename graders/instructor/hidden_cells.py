"""Hidden test cells: one graded cell per exercise whose hidden block calls the graders.

Each exercise ends with two cells:
- the *public checks* (read-only, not graded): the asserts learners run themselves;
- the *graded cell* (nbgrader ``grade: true`` with the exercise's points): in the
  source notebook it holds a hidden block calling ``graders.instructor.score_cell.score``; in the
  released notebook only its comment remains.

Keeping them apart matters for nbgrader: a failing public assert would otherwise
zero the whole cell, while the hidden block prints the exercise's partial credit
as the cell's single numeric output, which nbgrader's gradebook reads.
"""
from __future__ import annotations

import copy

from nbformat.v4 import new_code_cell

from graders.engine.notebook import nbgrader_meta

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
COMMENT = "# Hidden tests run here when your notebook is graded: nothing to do in this cell."


def hidden_source(module_id: str, exercise_id: str) -> str:
    return (f"{COMMENT}\n{BEGIN}\nfrom graders.instructor.score_cell import score\n"
            f"score({module_id!r}, {exercise_id!r})\n{END}")


def with_hidden_tests(nb, module_id: str, points: dict[str, float]):
    """Return a copy of a source notebook with a graded hidden-test cell per exercise (idempotent).

    A graded cell that still holds public asserts is split: the asserts move to a
    read-only public cell, and the graded cell gets the hidden block.
    """
    nb = copy.deepcopy(nb)
    cells, i = list(nb.cells), 0
    answers = [(nbgrader_meta(c).get("grade_id"), j) for j, c in enumerate(cells) if nbgrader_meta(c).get("solution")]
    for exercise_id, _ in answers:
        graded_id = f"test_{exercise_id}"
        graded = next((c for c in cells if nbgrader_meta(c).get("grade_id") == graded_id), None)
        if graded is None:
            anchor = next(j for j, c in enumerate(cells) if nbgrader_meta(c).get("grade_id") == exercise_id)
            graded = new_code_cell("")
            graded.metadata = {"nbgrader": {"grade": True, "solution": False, "locked": True,
                                            "grade_id": graded_id, "points": points[exercise_id],
                                            "schema_version": 3}}
            graded.id = graded_id.replace("_", "-")
            cells.insert(anchor + 1, graded)
        public = _strip_hidden(graded.source).strip()
        if public and public != COMMENT:
            cell = new_code_cell(public)
            cell.metadata = {"nbgrader": {"grade": False, "solution": False, "locked": True,
                                          "grade_id": f"public_{exercise_id}", "schema_version": 3}}
            cell.id = f"public-{exercise_id}".replace("_", "-")
            cells.insert(cells.index(graded), cell)
        graded.source = hidden_source(module_id, exercise_id)
        graded.metadata["nbgrader"]["points"] = points[exercise_id]
        i += 1
    nb.cells = cells
    return nb


def _strip_hidden(source: str) -> str:
    out, hidden = [], False
    for line in source.splitlines():
        if BEGIN in line:
            hidden = True
        elif END in line:
            hidden = False
        elif not hidden and line.strip() != COMMENT:
            out.append(line)
    return "\n".join(out)
