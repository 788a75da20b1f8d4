"""Reading a learner's notebook into a :class:`Submission` (read only, never written).

Graded cells are found by their nbgrader metadata: answer cells have
``solution: true`` and ``grade_id`` = the exercise name; setup cells carry the tag
``setup``. Everything else (lessons, public tests, the learner's scratch cells) is
not run by the grader, so put helpers inside the answer cell.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

METADATA_KEY = "mlkata"
SETUP_TAG = "setup"


class NotebookError(Exception):
    """The file cannot be graded; the message is for the learner."""


@dataclass(frozen=True)
class Submission:
    path: str
    module: str | None
    version: str | None
    setup: tuple[tuple[str, str], ...]            # (label, source) in notebook order
    answers: tuple[tuple[str, str], ...]          # (grade_id, source) in notebook order

    def answer(self, exercise_id: str) -> str | None:
        for grade_id, source in self.answers:
            if grade_id == exercise_id:
                return source
        return None


def read_notebook(path: str | Path):
    """nbformat's reader with errors a learner can act on."""
    import nbformat  # here, not at the top: early.py reads a notebook's module before anything heavy loads

    path = Path(path)
    if not path.exists():
        raise NotebookError(f"{path}: no such file")
    try:
        with open(path, encoding="utf-8") as fh:
            nb = nbformat.read(fh, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError, UnicodeDecodeError) as exc:
        raise NotebookError(f"{path.name} is not a readable notebook (broken JSON: {_short(exc)}). "
                            "If you edited it by hand, restore it from git or with `make reset`.") from None
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for malformed files
        raise NotebookError(f"{path.name} is not a valid notebook: {_short(exc)}") from None
    if not isinstance(nb, dict) or "cells" not in nb:
        raise NotebookError(f"{path.name} is not a valid notebook: it has no cells")
    return nb


def nbgrader_meta(cell) -> dict:
    """A cell's nbgrader metadata (``grade_id``, ``solution``, ``grade``, ``points``...); {} for other cells."""
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def submission_from_notebook(nb, path: str = "<notebook>") -> Submission:
    meta = nb.get("metadata", {}).get(METADATA_KEY, {}) or {}
    module = _module_of(meta, path)
    version = meta.get("version")
    setup, answers = [], []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        grader_meta = nbgrader_meta(cell)
        if SETUP_TAG in (cell.get("metadata", {}).get("tags") or []):
            setup.append((f"setup cell {len(setup) + 1}", python_source(source)))
        elif grader_meta.get("solution") and grader_meta.get("grade_id"):
            answers.append((str(grader_meta["grade_id"]), python_source(source)))
    return Submission(str(path), module, None if version is None else str(version), tuple(setup), tuple(answers))


def read_submission(path: str | Path) -> Submission:
    return submission_from_notebook(read_notebook(path), str(path))


def python_source(source: str) -> str:
    """Cell source as plain Python: IPython magics and shell escapes become calls the
    sandbox ignores, so `%timeit` in an answer cell costs nothing."""
    if not any(line.lstrip().startswith(("%", "!")) for line in source.splitlines()):
        return source
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return source
    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - a syntax error is reported when the cell runs
        return source


def declared_module(path: str | Path) -> str | None:
    """The module a notebook file names, as :func:`submission_from_notebook` finds it, read with ``json``
    alone (None when the file cannot tell); for starting its sandbox parent early (``early.py``)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return _module_of(json.load(fh).get("metadata", {}).get(METADATA_KEY) or {}, path)
    except (OSError, ValueError, AttributeError):
        return None


def _module_of(meta: dict, path: str | Path) -> str | None:
    """The notebook's own word (its mlkata metadata), else its file name: ``02_math.ipynb`` is 02_math."""
    return meta.get("module") or _module_from_name(str(path))


def _module_from_name(path: str) -> str | None:
    stem = Path(path).stem
    return stem if stem[:2].isdigit() else None


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


SOLUTION_BEGIN, SOLUTION_END = "BEGIN SOLUTION", "END SOLUTION"
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")


def stub_source(source: str) -> str:
    """An answer cell as released to learners: nbgrader's ``ClearSolutions`` convention for Python.

    Each ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region becomes nbgrader's code stub, indented like
    the marker; a cell without a region becomes the stub itself. The engine needs stubs to know what a
    fresh notebook defines, and importing nbgrader for that would slow every check (a test holds this
    equal to nbgrader's own release of every source notebook).
    """
    lines, out, inside, replaced = source.split("\n"), [], False, False
    for line in lines:
        if SOLUTION_BEGIN in line:
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + stub for stub in CODE_STUB)
            inside, replaced = True, True
        elif SOLUTION_END in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out) if replaced else "\n".join(CODE_STUB)
