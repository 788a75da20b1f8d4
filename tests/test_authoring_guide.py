"""docs/AUTHORING.md works: its worked example, run step by step in a copy of the project.

The guide's section "Worked example" is the script: each ``**`path`**`` line followed by a code block
is a file to write, each ```bash block a command to run, in the order they appear. This test takes
nothing else from anywhere, so a guide edit that breaks a step (a wrong path, a command that fails, a
spec that does not grade) fails here. After the steps but before the last one (removing the example) it
grades the example's reference, its untouched exercise notebook and one mistake of its bank itself.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "AUTHORING.md"
EXAMPLE_HEADING = "Worked example"
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
FILE_LINE = re.compile(r"^\*\*`(?P<path>[^`]+)`\*\*[ \t]*$")


@dataclass
class Step:
    title: str
    actions: list = field(default_factory=list)     # ("file", path, text) | ("bash", script)


def section(text: str, heading: str) -> str:
    """The body of the ``## `` section whose heading contains ``heading``."""
    parts = re.split(r"^## ", text, flags=re.M)
    found = [p for p in parts[1:] if heading in p.splitlines()[0]]
    assert len(found) == 1, f"docs/AUTHORING.md needs exactly one '## ... {heading}' section"
    return found[0]


def walkthrough(text: str) -> list[Step]:
    steps = []
    for chunk in re.split(r"^### ", section(text, EXAMPLE_HEADING), flags=re.M)[1:]:
        step = Step(chunk.splitlines()[0].strip())
        for fence in FENCE.finditer(chunk):
            before = chunk[: fence.start()].rstrip("\n").splitlines()
            named = FILE_LINE.match(before[-1]) if before else None
            if named:
                step.actions.append(("file", named["path"], fence["body"]))
            elif fence["lang"] == "bash":
                step.actions.append(("bash", fence["body"]))
            else:
                pytest.fail(f"step {step.title!r}: a code block that is neither a named file nor bash:\n"
                            f"{fence['body'][:200]}")
        steps.append(step)
    return steps


def project_files() -> list[str]:
    """The project as a fresh checkout would have it: tracked files and new ones git does not ignore."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                         capture_output=True, check=True)
    return sorted(p for p in out.stdout.decode().split("\0") if p and (ROOT / p).is_file())


def tree(root: Path) -> set[str]:
    skip = {"__pycache__", ".pytest_cache"}
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and not skip & set(p.parts)}


def run(script: str, cwd: Path, env: dict, what: str) -> subprocess.CompletedProcess:
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)
    if done.returncode != 0:
        pytest.fail(f"{what} failed with exit status {done.returncode}:\n$ {script}\n--- stdout\n"
                    f"{done.stdout[-4000:]}\n--- stderr\n{done.stderr[-4000:]}")
    return done


def do(step: Step, copy: Path, env: dict) -> None:
    for action in step.actions:
        if action[0] == "file":
            path = copy / action[1]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(action[2], encoding="utf-8")
        else:
            run(action[1], copy, env, f"the guide's step {step.title!r}")


def with_answer(source_nb: Path, exercise: str, answer: str, dest: Path) -> None:
    nb = nbformat.read(source_nb, as_version=4)
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == exercise
             and c.metadata["nbgrader"].get("solution")]
    assert len(cells) == 1, f"one answer cell for {exercise} in {source_nb.name}"
    cells[0].source = answer
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)


def headers(source: str) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for line in source.splitlines():
        if not line.startswith("# ") or ":" not in line:
            break
        key, _, value = line[2:].partition(":")
        meta.setdefault(key.strip(), []).append(value.strip())
    return meta


@pytest.mark.slow
def test_the_worked_example_builds_grades_and_removes_a_module(tmp_path):
    steps = walkthrough(GUIDE.read_text(encoding="utf-8"))
    assert len(steps) >= 3 and "remove" in steps[-1].title.lower(), "the example ends by removing itself"
    files = [a[1] for s in steps for a in s.actions if a[0] == "file"]
    module_dir = next(Path(f).parent for f in files if Path(f).name == "spec.py")
    module_id = module_dir.name[1:]
    assert not (ROOT / module_dir).exists(), f"the example must not be a real module ({module_dir})"

    copy = tmp_path / "mlkata"
    for rel in project_files():
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, copy / rel)
    before = tree(copy)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(PYTHONPATH=str(copy), MLKATA_HOME=str(tmp_path / "home"), PYTHONDONTWRITEBYTECODE="1",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")   # `python` = ours

    for step in steps[:-1]:
        do(step, copy, env)

    solution, exercise = copy / "solutions" / f"{module_id}.ipynb", copy / "exercises" / f"{module_id}.ipynb"
    assert solution.is_file() and exercise.is_file(), "the steps write the source and the learner notebook"
    released = exercise.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in released and "BEGIN HIDDEN TESTS" not in released

    # one mistake of the example's bank, graded in place of the reference answer
    mistake_file = next(copy / f for f in files if f"mistakes/{module_id}/" in f
                        and headers((copy / f).read_text(encoding="utf-8")).get("mistake"))
    text = mistake_file.read_text(encoding="utf-8")
    meta, exercise_id = headers(text), mistake_file.stem.split("__")[0]
    with_answer(solution, exercise_id, text, tmp_path / "mistake" / f"{module_id}.ipynb")
    report = tmp_path / "report.json"
    run(f"python -m graders grade --no-history --json {report} {solution} {exercise} "
        f"{tmp_path / 'mistake' / f'{module_id}.ipynb'}", copy, env, "grading the example")
    reference, stub, wrong = json.loads(report.read_text(encoding="utf-8"))["notebooks"]

    assert reference["module"] == module_id and "error" not in reference, reference
    assert reference["max_points"] > 0 and reference["points"] == reference["max_points"], reference
    assert {ex["status"] for ex in reference["exercises"]} == {"passed"}
    assert stub["points"] == 0 and {ex["status"] for ex in stub["exercises"]} == {"not_attempted"}, stub
    (graded,) = [ex for ex in wrong["exercises"] if ex["id"] == exercise_id]
    assert graded["points"] < graded["max_points"], graded
    assert meta["mistake"][0] in graded["mistakes"], graded
    for words in meta.get("expect", []):
        assert words in "\n".join(graded["feedback"]), graded

    do(steps[-1], copy, env)
    assert tree(copy) == before, "removing the example leaves the project as it was"
