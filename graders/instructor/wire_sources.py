"""Wire a source notebook for inline checks (``python -m graders wire [SOLUTIONS ...]``).

Adds, idempotently, to ``solutions/<module>.ipynb``:
- after the setup cell(s), a locked, non-graded cell that connects ``check``,
  ``hint`` and ``solution`` to the module (not tagged ``setup``: the grader never
  runs it);
- after each exercise's public test cell (or its answer cell when it has none), a
  locked cell ``check("<id>")``. A cell of its own, not a line appended to the
  test cell, so the detailed feedback still shows when a public assert fails.

Cells are recognised by their nbgrader ``grade_id`` (``mlkata_inline``,
``check_<id>``): running the tool again rewrites their source to the current
template and inserts nothing. Only cells outside answers change, so the module's
version stays (a learner's notebook of that version still grades).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from graders.engine import registry
from graders.engine.notebook import METADATA_KEY, SETUP_TAG, nbgrader_meta

from .hidden_cells import with_hidden_tests

WIRING_ID = "mlkata_inline"
WIRING_TEMPLATE = '''# Inline checks: run this cell once. Under an exercise, check("{first}") grades it right here with
# the grader of `make grade` (same points, same feedback); hint("{first}") gives one more hint per
# call; solution("{first}") shows the reference once it passes; check() grades the whole notebook.
from graders.learner.inline import connect

check, hint, solution = connect("{module}")'''


def _locked_cell(grade_id: str, source: str):
    cell = new_code_cell(source)
    cell.metadata = {"nbgrader": {"grade": False, "solution": False, "locked": True, "grade_id": grade_id,
                                  "schema_version": 3}}
    cell.id = grade_id.replace("_", "-")[:64]
    return cell


def _find(nb, grade_id: str) -> int | None:
    for index, cell in enumerate(nb.cells):
        if nbgrader_meta(cell).get("grade_id") == grade_id and not nbgrader_meta(cell).get("solution"):
            return index
    return None


def _upsert(nb, grade_id: str, source: str, position: int) -> bool:
    """Rewrite the cell's source if it exists, else insert it at ``position``; True if anything changed."""
    index = _find(nb, grade_id)
    if index is None:
        nb.cells.insert(position, _locked_cell(grade_id, source))
        return True
    if nb.cells[index].source != source:
        nb.cells[index].source = source
        return True
    return False


def exercise_ids(nb, module_id: str) -> list[str]:
    """Answer cells that are graded exercises (all answer cells when the module has no grader yet)."""
    answers = [str(nbgrader_meta(c)["grade_id"]) for c in nb.cells
               if c.cell_type == "code" and nbgrader_meta(c).get("solution") and nbgrader_meta(c).get("grade_id")]
    try:
        known = {ex.id for ex in registry.load(module_id).exercises}
    except Exception:  # noqa: BLE001 - a module being written may not load yet; wire every answer cell
        return answers
    return [a for a in answers if a in known]


def _wiring_position(nb) -> int:
    """After the setup cells that precede the first answer cell; else before the first code cell."""
    position = None
    for index, cell in enumerate(nb.cells):
        if nbgrader_meta(cell).get("solution"):
            break
        if SETUP_TAG in (cell.get("metadata", {}).get("tags") or []):
            position = index + 1
    if position is None:
        position = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    return position


def _check_position(nb, exercise: str) -> int:
    """Right after the public checks (or the graded test cell, or the answer cell when neither exists)."""
    for anchor in (f"public_{exercise}", f"test_{exercise}"):
        index = _find(nb, anchor)
        if index is not None:
            return index + 1
    return next(i for i, c in enumerate(nb.cells)
                if nbgrader_meta(c).get("solution") and nbgrader_meta(c).get("grade_id") == exercise) + 1


def wire(nb) -> bool:
    """Wire a source notebook in place; returns True when it changed.

    Each exercise ends up as: answer, public checks, check("<id>"), graded hidden-test cell.
    """
    module_id = (nb.metadata.get(METADATA_KEY) or {}).get("module")
    if not module_id:
        raise ValueError("the notebook's metadata names no mlkata module (metadata.mlkata.module)")
    before = nbformat.writes(nb)
    try:
        points = {ex.id: ex.points for ex in registry.load(module_id).exercises}
    except Exception:  # noqa: BLE001 - a module being written may not load yet: hidden cells come later
        points = None
    if points:
        nb.cells = with_hidden_tests(nb, module_id, points).cells
    exercises = exercise_ids(nb, module_id)
    first = exercises[0] if exercises else "exercise_name"
    changed = _upsert(nb, WIRING_ID, WIRING_TEMPLATE.format(module=module_id, first=first), _wiring_position(nb))
    for exercise in exercises:
        changed |= _upsert(nb, f"check_{exercise}", f'check("{exercise}")', _check_position(nb, exercise))
        changed |= _graded_cell_last(nb, exercise)
    return changed or nbformat.writes(nb) != before


def _graded_cell_last(nb, exercise: str) -> bool:
    """Move the graded hidden-test cell after the check cell: learners read public checks, then check()."""
    graded, check = _find(nb, f"test_{exercise}"), _find(nb, f"check_{exercise}")
    if graded is None or check is None or graded > check:
        return False
    nb.cells.insert(check, nb.cells.pop(graded))
    return True


def wire_files(paths, exercises_dir: Path | None = None) -> tuple[list[Path], list[str]]:
    """Wire source notebooks on disk, then regenerate just their exercise notebooks (with backups of
    learner work, by :func:`graders.engine.release.write_exercises`). Returns (wired sources, exercises written)."""
    from graders.engine.paths import EXERCISES
    from graders.engine.release import write_exercises

    changed = []
    for path in map(Path, paths):
        with open(path, encoding="utf-8") as fh:
            nb = nbformat.read(fh, as_version=4)
        if wire(nb):
            nbformat.validate(nb)
            with open(path, "w", encoding="utf-8") as fh:
                nbformat.write(nb, fh)
            changed.append(path)
    # write_exercises releases a whole folder: give it one holding only these sources, so the exercise
    # notebooks of other modules (perhaps being written right now) are left alone
    with tempfile.TemporaryDirectory(prefix="mlkata-wire-") as tmp:
        for path in map(Path, paths):
            (Path(tmp) / path.name).write_bytes(path.read_bytes())
        written = write_exercises(Path(tmp), exercises_dir or EXERCISES)
    return changed, written
