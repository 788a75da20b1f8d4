"""Source notebooks (``solutions/``) to learner notebooks (``exercises/``).

Uses nbgrader's own preprocessors, in the order of ``nbgrader generate_assignment``
minus the steps that need a course database: solutions become
``raise NotImplementedError()``, hidden tests and outputs disappear, read-only
cells get checksums. The result is deterministic, so a test can tell when the
committed exercise notebooks drift from their sources.
"""
from __future__ import annotations

import copy
import shutil
import time
from pathlib import Path

import nbformat

from .notebook import nbgrader_meta
from .paths import EXERCISES, SOLUTIONS, backups

HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS", "### BEGIN SOLUTION", "### END SOLUTION")


def release_notebook(source) -> nbformat.NotebookNode:
    """The learner's version of a source notebook (a new object; the source is untouched)."""
    # nbgrader is imported here, not at the top: grading and inline checks import this module for its
    # paths and must not pay nbgrader's import (seconds) or depend on it
    from nbgrader.preprocessors import (
        CheckCellMetadata,
        ClearHiddenTests,
        ClearMarkScheme,
        ClearOutput,
        ClearSolutions,
        ComputeChecksums,
        LockCells,
    )

    nb = copy.deepcopy(source)
    resources: dict = {}
    for pp in (LockCells(), ClearSolutions(), ClearOutput(), CheckCellMetadata(), ComputeChecksums(),
               ClearHiddenTests(), ClearMarkScheme(), ComputeChecksums(), CheckCellMetadata()):
        nb, resources = pp.preprocess(nb, resources)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.execution_count = None
    return nb


def render(nb) -> str:
    return nbformat.writes(nb) + "\n"


def expected_exercises(solutions_dir: Path = SOLUTIONS) -> dict[str, str]:
    """File name -> text of the exercise notebook each source should produce."""
    out = {}
    for path in sorted(solutions_dir.glob("*.ipynb")):
        with open(path, encoding="utf-8") as fh:
            out[path.name] = render(release_notebook(nbformat.read(fh, as_version=4)))
    return out


def write_exercises(solutions_dir: Path = SOLUTIONS, exercises_dir: Path = EXERCISES) -> list[str]:
    """Regenerate exercise notebooks; a learner's changed copy is backed up first, never lost."""
    exercises_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in expected_exercises(solutions_dir).items():
        target = exercises_dir / name
        if target.exists():
            current = target.read_text(encoding="utf-8")
            if current == text:
                continue
            if _has_learner_work(current, text):
                backup_dir = backups() if exercises_dir == EXERCISES else exercises_dir.parent / ".mlkata" / "backups"
                backup_dir.mkdir(parents=True, exist_ok=True)
                shutil.copy2(target, backup_dir / f"{target.stem}.{time.strftime('%Y%m%d-%H%M%S')}.ipynb")
        target.write_text(text, encoding="utf-8")
        written.append(name)
    return written


def _has_learner_work(current: str, fresh: str) -> bool:
    """True when the exercise notebook's answer cells differ from a fresh stub."""
    try:
        ours = nbformat.reads(current, as_version=4)
        theirs = nbformat.reads(fresh, as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable file is kept too
        return True

    def answers(nb):
        return {nbgrader_meta(c).get("grade_id"): c.source for c in nb.cells if nbgrader_meta(c).get("solution")}

    return answers(ours) != answers(theirs) or len(ours.cells) != len(theirs.cells)
