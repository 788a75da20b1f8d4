"""make reset MODULE=...: a fresh notebook, and the learner's copy is always kept."""
from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

from graders.engine.paths import EXERCISES, ROOT, SOLUTIONS
from graders.engine.release import release_notebook, render
from graders.learner.reset import ResetError, reset_module

MODULE = "02_math"


@pytest.fixture
def repo(tmp_path):
    """A scratch copy of the layout: solutions/, exercises/, and where backups go."""
    (tmp_path / "solutions").mkdir()
    (tmp_path / "exercises").mkdir()
    (tmp_path / "solutions" / f"{MODULE}.ipynb").write_bytes((SOLUTIONS / f"{MODULE}.ipynb").read_bytes())
    (tmp_path / "exercises" / f"{MODULE}.ipynb").write_bytes((EXERCISES / f"{MODULE}.ipynb").read_bytes())
    return tmp_path


def reset(repo, module=MODULE):
    return reset_module(module, repo / "solutions", repo / "exercises")


def fresh_text() -> str:
    with open(SOLUTIONS / f"{MODULE}.ipynb", encoding="utf-8") as fh:
        return render(release_notebook(nbformat.read(fh, as_version=4)))


def learner_edit(path, text):
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(text))           # a scratch cell of their own
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "softmax":
            cell.source = "def softmax(z, axis=-1):\n    return 'my answer'\n"
    nbformat.write(nb, path)
    return path.read_bytes()


def test_reset_keeps_the_learners_file_and_writes_a_fresh_one(repo):
    mine = learner_edit(repo / "exercises" / f"{MODULE}.ipynb", "# my notes")
    outcome = reset(repo)
    assert outcome.backup is not None and outcome.backup.parent == repo / ".mlkata" / "backups"
    assert outcome.backup.name.startswith(f"{MODULE}.") and outcome.backup.suffix == ".ipynb"
    assert outcome.backup.read_bytes() == mine                               # nothing lost
    assert (repo / "exercises" / f"{MODULE}.ipynb").read_text(encoding="utf-8") == fresh_text()


def test_two_resets_in_the_same_second_keep_both_copies(repo):
    first = learner_edit(repo / "exercises" / f"{MODULE}.ipynb", "# first")
    a = reset(repo).backup
    second = learner_edit(repo / "exercises" / f"{MODULE}.ipynb", "# second")
    b = reset(repo).backup
    assert a != b and a.read_bytes() == first and b.read_bytes() == second
    assert len(list((repo / ".mlkata" / "backups").iterdir())) == 2


def test_a_fresh_or_missing_notebook_needs_no_backup(repo):
    path = repo / "exercises" / f"{MODULE}.ipynb"
    path.write_text(fresh_text(), encoding="utf-8")
    assert reset(repo).already_fresh and not (repo / ".mlkata").exists()
    path.unlink()
    outcome = reset(repo)
    assert outcome.backup is None and path.read_text(encoding="utf-8") == fresh_text()


def test_a_broken_notebook_is_kept_too(repo):
    path = repo / "exercises" / f"{MODULE}.ipynb"
    path.write_text("{ not json", encoding="utf-8")
    assert reset(repo).backup.read_text(encoding="utf-8") == "{ not json"


@pytest.mark.parametrize("module, message", [("99_nope", "there is no module '99_nope'"),
                                             ("", "name the module to reset, e.g. `make reset MODULE=02_math`")])
def test_unknown_or_missing_module_is_refused_and_nothing_changes(repo, module, message):
    before = (repo / "exercises" / f"{MODULE}.ipynb").read_bytes()
    with pytest.raises(ResetError, match="02_math") as info:
        reset(repo, module)
    assert message in str(info.value)
    assert (repo / "exercises" / f"{MODULE}.ipynb").read_bytes() == before and not (repo / ".mlkata").exists()


def test_make_reset_refuses_an_unknown_module():
    env = {**os.environ, "MLKATA_HOME": "/nonexistent"}
    run = subprocess.run([sys.executable, "-m", "graders", "reset", "99_nope"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "there is no module '99_nope'" in run.stderr
