"""The test banks of a module: wrong answers and correct alternatives, one file each.

``tests/mistakes/<module>/<exercise>__<slug>.py`` holds the whole answer cell of a
wrong answer; its first lines say what the grader must answer:

    # mistake: no-max-shift          (the id the grader must recognise; optional)
    # expect: subtract the maximum   (text that must appear in the feedback)

``tests/alternatives/<module>/<exercise>__<slug>.py`` holds a correct answer written
differently; it must get full marks.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from graders.notebook import Submission, submission_from_notebook
from graders.release import SOLUTIONS

TESTS = Path(__file__).parent


@dataclass(frozen=True)
class Entry:
    module: str
    exercise: str
    path: Path
    source: str
    mistake: str | None
    expect: tuple[str, ...]

    def __str__(self) -> str:
        return self.path.stem


def bank(module: str, kind: str) -> list[Entry]:
    entries = []
    for path in sorted((TESTS / kind / module).glob("*.py")):
        source = path.read_text(encoding="utf-8")
        meta: dict[str, list[str]] = {}
        for line in source.splitlines():
            if not line.startswith("# ") or ":" not in line:
                break
            key, _, value = line[2:].partition(":")
            meta.setdefault(key.strip(), []).append(value.strip())
        entries.append(Entry(module, path.stem.split("__")[0], path, source,
                             (meta.get("mistake") or [None])[0], tuple(meta.get("expect", []))))
    return entries


def solution_notebook(module: str):
    with open(SOLUTIONS / f"{module}.ipynb", encoding="utf-8") as fh:
        return nbformat.read(fh, as_version=4)


def submission(module: str, replace: dict[str, str] | None = None, notebook=None) -> Submission:
    """The reference solution with some answer cells replaced (by exercise id)."""
    nb = notebook if notebook is not None else solution_notebook(module)
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if replace and grade_id in replace and cell.metadata["nbgrader"].get("solution"):
            cell.source = replace[grade_id]
    return submission_from_notebook(nb, f"{module}.ipynb")


def grade_entry(grader, entry: Entry):
    """Grade one bank entry in place of the reference answer; returns the exercise's result."""
    result = grader.grade(submission(entry.module, {entry.exercise: entry.source}), only=[entry.exercise])
    assert result.error is None, result.error
    (ex,) = result.exercises
    return ex


def describe(ex) -> str:
    return f"{ex.id}: {ex.status.value} {ex.points}/{ex.max_points}\n" + "\n".join(ex.feedback)
