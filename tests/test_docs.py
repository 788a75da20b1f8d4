"""What the docs point to exists: the authoring guide's commands, paths and API names, and the files and
modules that docstrings in ``graders/`` name. (The guide's worked example runs in test_authoring_guide.py.)"""
from __future__ import annotations

import importlib
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "AUTHORING.md"
EXAMPLE = "99_tiny"                          # the worked example's module: created by its own steps
PLACEHOLDER = re.compile(r"NN|<|\*|\.\.\.")
PATH_PREFIXES = ("graders/", "tests/", "solutions/", "exercises/", "docs/", "datasets/", "benchmarks/")


def resolves(dotted: str) -> bool:
    """``graders.engine.spec.Check.materialize``: the longest importable prefix, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if name in getattr(obj, "__dataclass_fields__", {}) and not hasattr(obj, name):
                return name == parts[-1]         # a dataclass field without a default: no class attribute
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def guide_commands() -> list[str]:
    """Every command line of the guide's bash blocks (heredoc bodies are input, not commands)."""
    lines = []
    for block in re.findall(r"^ *```bash\n(.*?)^ *```", GUIDE.read_text(encoding="utf-8"), flags=re.M | re.S):
        heredoc = None
        for line in block.splitlines():
            line = line.strip()
            if heredoc:
                heredoc = None if line == heredoc else heredoc
                continue
            opened = re.search(r"<<-?'?(\w+)'?", line)
            heredoc = opened.group(1) if opened else None
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def test_the_guide_runs_only_commands_and_tests_that_exist():
    from graders.cli import build_parser

    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), flags=re.M))
    commands = guide_commands()
    assert any("python -m graders wire" in c for c in commands)
    for command in commands:
        words = shlex.split(command)
        if words[:3] == ["python", "-m", "graders"]:
            try:
                build_parser().parse_args(words[3:])          # the command and its options exist
            except SystemExit:
                pytest.fail(f"the guide runs `{command}`, which the CLI refuses")
        elif words[:3] == ["python", "-m", "pytest"]:
            for arg in (w for w in words[3:] if not w.startswith("-")):
                assert (ROOT / arg).exists() or EXAMPLE in arg, command
        elif words[0] == "make":
            assert words[1] in targets, command
        else:
            assert words[0] in ("python", "rm"), f"a command the guide's tests do not know: {command}"


def test_the_paths_and_api_names_in_the_guide_exist():
    text = GUIDE.read_text(encoding="utf-8")
    spans = re.findall(r"`([^`\n]+)`", text)
    paths = {s for s in spans if s.startswith(PATH_PREFIXES) and not PLACEHOLDER.search(s) and EXAMPLE not in s}
    assert "tests/banks.py" in paths
    for path in sorted(paths):
        assert (ROOT / path.split()[0]).exists(), path
    found = {m for s in spans for m in re.findall(r"\b(?:graders|spec|judges|compare|batteries|probes|Case|Check|"
                                                    r"Exercise|Mistake|Module)(?:\.[A-Za-z_]\w*)+", s)
             if "/" not in s and not s.endswith((".py", ".ipynb", ".md"))}
    names = set()
    for name in found - {n for n in found if PLACEHOLDER.search(n)}:
        if name.startswith("graders"):
            names.add(name)
        else:
            names.add(("graders.engine.spec." if name[0].isupper() else "graders.engine.") + name)
    names = {n for n in names if EXAMPLE[:2] not in n}
    assert "graders.engine.spec.Check.materialize" in names
    for name in sorted(names):
        assert resolves(name), f"docs/AUTHORING.md names {name}, which does not exist"


def docstring_references():
    for path in sorted((ROOT / "graders").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for ref in re.findall(r"``([^`\s]+)``", text):
            yield path, "literal", ref
        for ref in re.findall(r":(?:mod|func|class|meth):`~?([^`]+)`", text):
            yield path, "role", ref


@pytest.mark.parametrize("path, kind, ref", [pytest.param(p, k, r, id=f"{p.relative_to(ROOT)}:{r}")
                                             for p, k, r in docstring_references()
                                             if (r.endswith(".py") or r.startswith(PATH_PREFIXES + ("graders.",)))
                                             and not PLACEHOLDER.search(r)])
def test_docstrings_name_files_and_modules_that_exist(path, kind, ref):
    if ref.startswith("graders.") and "/" not in ref:
        assert resolves(ref), f"{path.relative_to(ROOT)} names {ref}, which does not exist"
    elif "/" in ref:
        assert (ROOT / ref).exists() or (path.parent / ref).exists(), f"{path.relative_to(ROOT)} names {ref}"
    else:                                               # a bare file name: a sibling, or the package's
        assert (path.parent / ref).exists() or any((ROOT / "graders").rglob(ref)), \
            f"{path.relative_to(ROOT)} names {ref}, which does not exist"
