"""Which answer cells to send: the latest input this kernel ran for each exercise, else the saved notebook.

The same rule as the full project's live check (engine/live.py; tests/service holds the two equal): an input
counts for an exercise when its top level defines every name the released answer cell defines (the
server says which names, ``GET /api/v1/modules/<module>``).
"""
from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path


def defined_names(source: str) -> set[str]:
    try:
        tree = ast.parse(_plain(source))
    except SyntaxError:
        return set(re.findall(r"^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)", source, flags=re.MULTILINE))
    names: set[str] = set()
    _collect(tree.body, names)
    return names


def _collect(body, names: set[str]) -> None:
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for part in ("body", "orelse", "finalbody"):
                _collect(getattr(node, part, []) or [], names)
            for handler in getattr(node, "handlers", []) or []:
                _collect(handler.body, names)


def _plain(source: str) -> str:
    # magics (%timeit, !pip) are not Python; the server turns them into no-ops, here they only hide names
    return "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def live_cells(inputs: list[str], names: dict[str, list[str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for source in reversed(inputs):
        if not source or not source.strip():
            continue
        defined = defined_names(source)
        for exercise, wanted in names.items():
            if exercise not in found and set(wanted) <= defined:
                found[exercise] = source
    return found


def saved_cells(path: Path | None) -> dict[str, str]:
    """grade_id -> source of the answer cells of a saved notebook (nbgrader metadata, as the grader reads)."""
    if path is None:
        return {}
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for cell in nb.get("cells", []):
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if cell.get("cell_type") == "code" and meta.get("solution") and meta.get("grade_id"):
            source = cell.get("source", "")
            out[str(meta["grade_id"])] = "".join(source) if isinstance(source, list) else str(source)
    return out


def find_notebook(module_id: str, explicit=None) -> Path | None:
    if explicit is not None:
        return Path(explicit)
    candidates = []
    session = os.environ.get("JPY_SESSION_NAME")          # set by jupyter_server for each kernel
    if session and session.endswith(".ipynb"):
        path = Path(session)
        candidates += [path] if path.is_absolute() else [Path.cwd() / path, Path.cwd() / path.name]
    candidates.append(Path.cwd() / f"{module_id}.ipynb")
    return next((p for p in candidates if p.is_file()), None)


def kernel_inputs() -> list[str]:
    try:
        from IPython import get_ipython
    except ImportError:
        return []
    shell = get_ipython()
    manager = getattr(shell, "history_manager", None)
    raw = getattr(manager, "input_hist_raw", None)
    if raw is None:
        raw = shell.user_ns.get("In", []) if shell is not None else []
    return [s for s in raw if isinstance(s, str)]
