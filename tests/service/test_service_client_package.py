"""Item 2 of issue 18: the student package holds the notebooks and check/hint/solution, nothing hidden.

The wheel is built from a copy of client/ with pip (`pip wheel --no-deps`, the build front end this
machine has) and opened: its files are an allowlist, its Python files are the client's own, its notebooks
are the released ones, and no reference solution, hidden-test block, mistake variant or grader file is in it.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from graders.engine.notebook import read_notebook, submission_from_notebook

CLIENT = ROOT / "client"
ALLOWED = re.compile(r"^(mlkata_client/[a-z_]+\.py|mlkata_client/notebooks/\d\d_[a-z_]+\.ipynb|"
                     r"graders/__init__\.py|graders/learner/__init__\.py|graders/learner/inline/__init__\.py|"
                     r"datasets/(__init__|listings|shop)\.py|datasets/listings\.csv|datasets/README\.md|"
                     r"mlkata_client-[^/]+\.dist-info/[A-Za-z_.]+)$")
DATA = {f"datasets/{n}": ROOT / "datasets" / n for n in ("__init__.py", "listings.py", "shop.py", "listings.csv",
                                                           "README.md")}


def build_wheel(tmp: Path) -> Path:
    """client/ copied (the build writes build/ and egg-info next to the sources) and built with pip."""
    source = tmp / "client"
    shutil.copytree(CLIENT, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    env = {**__import__("os").environ, "MLKATA_EXERCISES": str(ROOT / "exercises")}
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                          "-w", str(tmp / "dist"), str(source)], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    (wheel,) = (tmp / "dist").glob("mlkata_client-*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> dict[str, bytes]:
    with zipfile.ZipFile(build_wheel(tmp_path_factory.mktemp("wheel"))) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def solution_blocks() -> list[tuple[str, str]]:
    """(where, code) of every reference answer: the text between nbgrader's solution markers."""
    found = []
    for path in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")):
        for gid, source in submission_from_notebook(read_notebook(path), str(path)).answers:
            for block in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, flags=re.DOTALL):
                if block.strip():
                    found.append((f"{path.name}:{gid}", block.strip()))
    return found


def bank_bodies() -> list[tuple[str, str]]:
    """(file, code) of every mistake variant and correct alternative, header comments dropped."""
    out = []
    for path in sorted((ROOT / "tests" / "modules").glob("*/*/*.py")):
        body = "\n".join(line for line in path.read_text().splitlines() if not line.startswith("# ")).strip()
        out.append((str(path.relative_to(ROOT)), body))
    return out


def texts(wheel) -> dict[str, str]:
    return {name: data.decode("utf-8", "replace") for name, data in wheel.items()}


def test_the_wheel_holds_only_the_client_and_the_released_notebooks(wheel):
    assert sorted(n for n in wheel if not ALLOWED.match(n)) == []
    python = {n for n in wheel if n.endswith(".py") and not n.startswith("datasets/")}
    own = {str(p.relative_to(CLIENT)) for p in CLIENT.rglob("*.py") if p.name != "setup.py"
           and "build" not in p.parts}
    assert python == own
    for name in python:                                   # byte for byte what client/ holds: nothing generated
        assert wheel[name] == (CLIENT / name).read_bytes(), name
    # the public data sets the notebooks' setup cells import, byte for byte the repository's
    assert {n: data for n, data in wheel.items() if n.startswith("datasets/")} == \
        {n: path.read_bytes() for n, path in DATA.items()}
    notebooks = {Path(n).name: data for n, data in wheel.items() if n.endswith(".ipynb")}
    released = {p.name: p.read_bytes() for p in (ROOT / "exercises").glob("[0-9][0-9]_*.ipynb")}
    assert notebooks == released and len(notebooks) >= 13


def test_no_grader_file_solution_or_hidden_block_is_in_the_wheel(wheel):
    assert not [n for n in wheel if re.search(r"(^|/)(solutions|tests|modules|engine|instructor|render)/", n)]
    blob = "\n".join(texts(wheel).values())
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "score_cell"):
        assert marker not in blob, marker
    code = "\n".join(t for n, t in texts(wheel).items() if n.endswith(".py") and not n.startswith("datasets/"))
    for marker in ("graders.modules", "graders.engine", "graders.service", "untrusted_grading"):
        assert marker not in code, marker
    blocks = solution_blocks()
    assert len(blocks) > 100                              # every module's reference answers were read
    leaked = [where for where, code in blocks if code in blob or json.dumps(code)[1:-1] in blob]
    assert leaked == []


def test_no_mistake_variant_or_alternative_is_in_the_wheel(wheel):
    blob = "\n".join(texts(wheel).values())
    bodies = bank_bodies()
    assert len(bodies) > 100
    assert [f for f, body in bodies if body in blob or json.dumps(body)[1:-1] in blob] == []


def test_no_grader_module_source_is_in_the_wheel(wheel):
    """Oracles and hidden cases live in graders/modules: none of those files, nor any of their functions'
    bodies, is in the wheel (a whole-function match: public examples may share single lines)."""
    import ast

    blob = "\n".join(texts(wheel).values())
    functions = []
    for path in (ROOT / "graders" / "modules").rglob("*.py"):
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.end_lineno - node.lineno >= 2:
                functions.append((f"{path.name}:{node.name}", ast.get_source_segment(source, node)))
    assert len(functions) > 200
    assert [where for where, code in functions if code in blob or json.dumps(code)[1:-1] in blob] == []


def test_the_client_needs_nothing_outside_the_standard_library():
    meta = (CLIENT / "pyproject.toml").read_text()
    assert re.search(r"^dependencies = \[\]$", meta, flags=re.MULTILINE)
    stdlib = set(sys.stdlib_module_names) | {"mlkata_client", "IPython", "graders"}
    for path in CLIENT.rglob("*.py"):
        if path.name == "setup.py" or "build" in path.parts:    # build time only
            continue
        for node in ast_imports(path):
            assert node.split(".")[0] in stdlib, f"{path.name} imports {node}"


def ast_imports(path: Path) -> set[str]:
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.add(node.module)
    return names
