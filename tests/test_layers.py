"""The package's layers, read from the source: who may import whom, and no import cycles.

Rules (docs/AUTHORING.md, "Layers"):
- ``graders.engine`` imports no other layer: not the learner's tools, the instructor's path, the
  renderers, the CLI or any module (modules are found by name at run time, ``engine/registry.py``);
- ``graders.render`` imports only the engine;
- ``graders.learner`` and ``graders.instructor`` import the engine and the renderers, never each other;
- ``graders.service`` (the grading service) imports the engine, the renderers and the instructor's path;
  only ``graders.cli`` imports it;
- ``graders.modules.mNN_*`` import the engine (and their own package), never another module or layer;
- nothing but a module's own package imports ``graders.modules.*`` (the registry finds them by convention);
- sandbox-side code (``graders.engine.sandbox`` and the module files a spec lists in ``preload``) imports
  only ``graders.engine.sandbox`` and its own module's sandbox-side files: it runs next to learner code;
- the old public paths (``graders.inline``, ``graders.hidden``, ``graders.course``, ``graders.interview``)
  are re-exports kept for notebooks and configs already in users' hands; no code of ours imports them.
Every import counts, also one inside a function: a lazy import is still a dependency.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "graders"
SHIMS = ("graders.inline", "graders.hidden", "graders.course", "graders.interview")
ALLOWED = {
    "graders.engine": ("graders.engine",),
    "graders.render": ("graders.engine", "graders.render"),
    "graders.learner": ("graders.engine", "graders.render", "graders.learner"),
    "graders.instructor": ("graders.engine", "graders.render", "graders.instructor"),
    "graders.service": ("graders.engine", "graders.render", "graders.instructor", "graders.service"),
    "graders.cli": ("graders.engine", "graders.render", "graders.learner", "graders.instructor", "graders.service",
                    "graders.cli"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Absolute names of every graders module or package a file imports (relative imports resolved)."""
    name, is_package = module_name(path), path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names if _is_module(f"{base}.{a.name}"))
    return {f for f in found if f == "graders" or f.startswith("graders.")}


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def layer_of(name: str) -> str | None:
    for layer in (*ALLOWED, "graders.modules"):
        if _under(name, layer):
            return layer
    return None


def all_files():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def violations(files) -> list[str]:
    found = []
    for path in files:
        me = module_name(path)
        layer = layer_of(me)
        for target in sorted(imports_of(path)):
            if any(_under(target, s) for s in SHIMS) and not any(_under(me, s) for s in SHIMS):
                found.append(f"{me} imports the compatibility path {target}")
            if _under(target, "graders.modules") and target != "graders.modules":
                own = ".".join(me.split(".")[:3])
                if not (_under(me, "graders.modules") and _under(target, own)):
                    found.append(f"{me} imports the module package {target} by name")
                continue
            if layer == "graders.modules":
                if layer_of(target) not in ("graders.engine", "graders.modules") and target != "graders":
                    found.append(f"{me} (a module) imports {target}")
            elif layer in ALLOWED and target != "graders":
                if not any(_under(target, ok) for ok in ALLOWED[layer]):
                    found.append(f"{me} ({layer.split('.')[-1]}) imports {target}")
    return found


def test_layers_import_only_what_the_architecture_allows():
    assert violations(all_files()) == []


SANDBOX = "graders.engine.sandbox"


def sandbox_side() -> dict[str, set[str]]:
    """Each module package -> the names its spec preloads from it: the files the sandbox runs (read from
    ``preload=(...)`` in spec.py, the same list the box uses to decide which files it shows)."""
    found = {}
    for spec_file in sorted(PACKAGE.glob("modules/m*/spec.py")):
        package = module_name(spec_file.parent / "__init__.py")
        names = set()
        for node in ast.walk(ast.parse(spec_file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "preload":
                names |= {c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant)
                          and isinstance(c.value, str) and _under(c.value, package)}
        found[package] = names
    return found


def sandbox_violations(files, sides) -> list[str]:
    """Sandbox-side code imports only the engine's sandbox package and its own module's sandbox-side
    files: anything else (an oracle, a case generator, the judges) would be dragged into the process
    that runs learner code, and the box would not even show it."""
    found = []
    for path in files:
        me = module_name(path)
        package = ".".join(me.split(".")[:3])
        own = sides.get(package, set())
        if not (_under(me, SANDBOX) or me in own):
            continue
        allowed = {"graders", "graders.engine", "graders.modules", package, *own}
        for target in sorted(imports_of(path)):
            if not (_under(target, SANDBOX) or target in allowed):
                found.append(f"{me} (sandbox side) imports {target}")
    return found


def test_sandbox_side_code_imports_nothing_of_the_grading_side():
    sides = sandbox_side()
    assert any(sides.values()), sides          # the preload lists were read (a module may need none)
    assert sandbox_violations(all_files(), sides) == []


@pytest.mark.parametrize("where, source, expected", [
    ("modules/m02_math/helpers.py", "from .softmax import softmax_ref\n", "imports graders.modules.m02_math.softmax"),
    ("modules/m06_deep_learning/observers.py", "from graders.engine.judges import returns\n",
     "imports graders.engine.judges"),
    ("engine/sandbox/fake.py", "from ..paths import ROOT\n", "imports graders.engine.paths"),
])
def test_the_sandbox_rule_catches_grading_side_imports(monkeypatch, where, source, expected):
    target = PACKAGE / where
    original = Path.read_text
    monkeypatch.setattr(Path, "read_text",
                        lambda self, *a, **k: source if self == target else original(self, *a, **k))
    found = sandbox_violations([target], sandbox_side())
    assert any(expected in v for v in found), found


def test_no_import_cycles_between_graders_modules():
    files = {module_name(p): p for p in all_files()}
    graph = {name: {t for t in imports_of(path) if t in files and t != name} for name, path in files.items()}
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


@pytest.mark.parametrize("where, source, expected", [
    ("engine", "from graders.learner import history\n", "graders.engine.fake (engine) imports graders.learner.history"),
    ("engine", "from graders.modules.m02_math import spec\n", "graders.engine.fake imports the module package"),
    ("engine", "def f():\n    from graders.instructor.batch import grade_batch\n", "(engine) imports graders.instructor"),
    ("learner", "from graders.instructor.batch import grade_batch\n", "(learner) imports graders.instructor.batch"),
    ("instructor", "from ..learner import history\n", "(instructor) imports graders.learner"),
    ("render", "from graders.learner.progress import compute\n", "(render) imports graders.learner.progress"),
    ("learner", "from graders.inline import connect\n", "imports the compatibility path graders.inline"),
])
def test_the_rule_check_catches_a_forbidden_import(monkeypatch, where, source, expected):
    fake = PACKAGE / where / "fake.py"          # never written: read_text is patched for this one path
    original = Path.read_text
    monkeypatch.setattr(Path, "read_text",
                        lambda self, *a, **k: source if self == fake else original(self, *a, **k))
    found = violations([fake])
    assert any(expected in v for v in found), found


GRADE_AND_CHECK = """
import sys
from graders.cli import main
main(["grade", {nb!r}, "--no-history"])
from graders.learner.inline import connect
check, hint, solution = connect("02_math", {nb!r})
check("softmax")
print("NBGRADER_LOADED" if any(m == "nbgrader" or m.startswith("nbgrader.") for m in sys.modules) else "CLEAN")
"""


def test_grading_and_inline_checks_never_import_nbgrader(tmp_path):
    """nbgrader belongs to the instructor's path: `make grade` and check() must not pay for it."""
    import os
    import subprocess
    import sys

    from graders.engine.paths import EXERCISES, ROOT

    env = {**os.environ, "MLKATA_HOME": str(tmp_path / "home")}
    code = GRADE_AND_CHECK.format(nb=str(EXERCISES / "02_math.ipynb"))
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "CLEAN"
