"""The notebook as the kernel sees it right now, as a :class:`Submission`.

A kernel cannot read the notebook's unsaved cells, but it remembers every input it
ran (IPython's input history, ``In``/``_ih``). For each exercise we take the most
recent input whose top level defines every name the released answer cell defines
(``softmax``; ``gaussian_mle`` and ``gaussian_log_likelihood``): that is the code
the learner's own session is running. An exercise whose cell never ran in this
kernel falls back to the saved notebook; setup cells always come from the saved
notebook (they are locked). The result is graded by the same engine as
``make grade``, so the same source gets the same points and messages.
"""
from __future__ import annotations

import ast
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .notebook import NotebookError, Submission, python_source, read_notebook, stub_source, submission_from_notebook
from .paths import EXERCISES, SOLUTIONS


def defined_names(source: str, api_only: bool = False) -> set[str]:
    """Names bound at the top level of a cell (def, class, import, assignment; inside if/try/with too);
    with ``api_only``, just the functions and classes it defines."""
    try:
        tree = ast.parse(python_source(source))
    except SyntaxError:
        # a cell with a syntax error is still the learner's latest attempt: the grader must see it and
        # report the error, so recognise its definitions textually
        return set(re.findall(r"^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)", source, flags=re.M))
    names: set[str] = set()
    _collect(tree.body, names, api_only)
    return names


def _collect(body, names: set[str], api_only: bool) -> None:
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif api_only:
            if isinstance(node, (ast.If, ast.Try, ast.With)):
                for part in ("body", "orelse", "finalbody"):
                    _collect(getattr(node, part, []) or [], names, api_only)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for part in ("body", "orelse", "finalbody"):
                _collect(getattr(node, part, []) or [], names, api_only)
            for handler in getattr(node, "handlers", []) or []:
                _collect(handler.body, names, api_only)


@lru_cache(maxsize=None)
def answer_names(module_id: str, solutions_dir: Path = SOLUTIONS) -> dict[str, frozenset]:
    """Exercise id -> the functions and classes its *released* answer cell defines (what the learner must
    define; an import the stub happens to have, such as ``KFold``, is not required)."""
    out = {}
    for grade_id, source in released_submission(module_id, solutions_dir).answers:
        out[grade_id] = frozenset(defined_names(source, api_only=True) or defined_names(source) or {grade_id})
    return out


def pick_live_sources(inputs: Sequence[str], names: dict[str, frozenset]) -> dict[str, str]:
    """Exercise id -> the most recent input (raw source) defining all of that exercise's names."""
    found: dict[str, str] = {}
    for source in reversed(list(inputs)):
        if not source or not source.strip():
            continue
        defined = defined_names(source)
        for exercise, wanted in names.items():
            if exercise not in found and wanted <= defined:
                found[exercise] = source
        if len(found) == len(names):
            break
    return found


def with_live_answers(base: Submission, live: dict[str, str]) -> Submission:
    """The saved submission with answer cells replaced by what the kernel ran (order kept)."""
    answers = tuple((gid, python_source(live[gid]) if gid in live else src) for gid, src in base.answers)
    return Submission(base.path, base.module, base.version, base.setup, answers)


def live_submission(base: Submission, inputs: Sequence[str], module_id: str,
                    exercises: Sequence[str] | None = None) -> Submission:
    """``base`` with the answer cells of ``module_id`` (or just ``exercises``) this kernel last ran."""
    names = answer_names(module_id)
    if exercises is not None:
        names = {i: names[i] for i in exercises if i in names}
    return with_live_answers(base, pick_live_sources(inputs, names))


def kernel_inputs(shell) -> list[str]:
    """Raw sources of the cells this kernel ran, oldest first (the same text the notebook file holds)."""
    manager = getattr(shell, "history_manager", None)
    raw = getattr(manager, "input_hist_raw", None)
    if raw is None:
        raw = shell.user_ns.get("In", []) if hasattr(shell, "user_ns") else []
    return [s for s in raw if isinstance(s, str)]


def find_notebook(module_id: str, shell=None, explicit: str | Path | None = None) -> Path | None:
    """The saved notebook this kernel belongs to: explicit path, VS Code's variable, Jupyter's
    ``JPY_SESSION_NAME`` (set by jupyter_server for each kernel), then ``exercises/<module>.ipynb``."""
    candidates: list[Path] = []
    if explicit is not None:
        return Path(explicit)
    user_ns = getattr(shell, "user_ns", {}) or {}
    for value in (user_ns.get("__vsc_ipynb_file__"), os.environ.get("JPY_SESSION_NAME")):
        if value and str(value).endswith(".ipynb"):
            path = Path(value)
            candidates += [path] if path.is_absolute() else [Path.cwd() / path, Path.cwd() / path.name]
    candidates += [Path.cwd() / f"{module_id}.ipynb", EXERCISES / f"{module_id}.ipynb"]
    for path in candidates:
        if path.is_file() and _module_of(path) == module_id:
            return path
    return None


def _module_of(path: Path) -> str | None:
    try:
        return submission_from_notebook(read_notebook(path), str(path)).module
    except NotebookError:
        return None


def saved_submission(module_id: str, path: Path | None) -> Submission:
    """The saved notebook, or the fresh release when there is none (setup cells and stubs)."""
    if path is not None:
        try:
            return submission_from_notebook(read_notebook(path), str(path))
        except NotebookError:
            pass
    return released_submission(module_id)


def released_submission(module_id: str, solutions_dir: Path = SOLUTIONS) -> Submission:
    """Setup cells and answer stubs as the learner's notebook holds them when fresh.

    Built from the source notebook with nbgrader's stub convention (:func:`stub_source`) rather than by
    running nbgrader's release, so that ``check()`` and ``make grade`` never import nbgrader;
    ``tests/engine/test_release.py`` holds the two equal for every module."""
    sub = submission_from_notebook(read_notebook(solutions_dir / f"{module_id}.ipynb"), f"{module_id}.ipynb")
    answers = tuple((grade_id, stub_source(source)) for grade_id, source in sub.answers)
    return Submission(sub.path, sub.module, sub.version, sub.setup, answers)
