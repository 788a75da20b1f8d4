"""The instructor's loop with nbgrader's own CLI, end to end, against `python -m graders grade`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from banks import bank

from graders.engine.notebook import stub_source
from graders.engine.paths import SOLUTIONS
from graders.instructor.course import build_course
from graders.instructor.hidden_cells import BEGIN, with_hidden_tests

MODULE = "02_math"
NBGRADER = [sys.executable, "-m", "nbgrader"]
# the endless loop waits 3 s, not 10. nbgrader creates a gradebook by running `alembic` from PATH: the venv
# is kept off PATH here, as for `.venv/bin/nbgrader` in an unactivated shell, and the course config adds it
VENV_BIN = os.path.realpath(os.path.dirname(sys.executable))
ENV = {**os.environ, "MLKATA_TIME_SCALE": "0.3",
       "PATH": os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                               if p and os.path.realpath(p) != VENV_BIN)}


def nbgrader(course: Path, *args):
    run = subprocess.run([*NBGRADER, *args], cwd=course, capture_output=True, text=True, env=ENV, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return run


def fill(release, answers: dict[str, str]):
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers and cell.metadata["nbgrader"].get("solution"):
            cell.source = answers[grade_id]
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    build_course(root, [MODULE])
    nbgrader(root, "generate_assignment", MODULE, "--force")
    release = nbformat.read(root / "release" / MODULE / f"{MODULE}.ipynb", as_version=4)
    with open(SOLUTIONS / f"{MODULE}.ipynb", encoding="utf-8") as fh:
        solution = nbformat.read(fh, as_version=4)
    reference = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solution.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    wrong = {e.exercise: e.source for e in bank(MODULE, "mistakes") if e.path.stem in
             ("softmax__no_max_shift", "welch_ttest__pooled")}
    noisy = "import warnings\nwarnings.warn('a library warning', UserWarning)\n" + reference["pca"]
    loop = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"
    submissions = {
        "correct": fill(release, reference),
        "untouched": release,
        "two_wrong": fill(release, {**reference, **wrong}),
        "looping": fill(release, {**reference, "logsumexp": loop, "pca": noisy}),
    }
    for student, nb in submissions.items():
        folder = root / "submitted" / student / MODULE
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{MODULE}.ipynb")
    nbgrader(root, "autograde", MODULE, "--force")
    nbgrader(root, "generate_feedback", MODULE, "--force")
    nbgrader(root, "export")
    return root


def nbgrader_points(course: Path, student: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(MODULE, MODULE, student)
        return {g.name[len("test_"):]: g.score for g in nb.grades if g.name.startswith("test_")}


def our_points(path: Path) -> dict[str, float]:
    out = path.parent / "ours.json"
    subprocess.run([sys.executable, "-m", "graders", "grade", str(path), "--json", str(out)], check=True,
                   capture_output=True, env=ENV, timeout=600)
    (nb,) = json.loads(out.read_text())["notebooks"]
    return {ex["id"]: ex["points"] for ex in nb["exercises"]}


def test_release_has_no_solution_code_and_no_hidden_tests(course):
    text = (course / "release" / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8")
    for marker in (BEGIN, "graders.hidden", "graders.instructor", "score(", "### BEGIN SOLUTION"):
        assert marker not in text
    assert "np.exp(z - z.max(axis=axis, keepdims=True))" not in text        # the softmax solution line
    assert text.count("raise NotImplementedError()") >= 10


@pytest.mark.parametrize("student", ["correct", "untouched", "two_wrong", "looping"])
def test_points_per_exercise_equal_make_grade(course, student):
    theirs = nbgrader_points(course, student)
    ours = our_points(course / "submitted" / student / MODULE / f"{MODULE}.ipynb")
    assert theirs == pytest.approx(ours)
    expected_total = {"correct": 100, "untouched": 0}
    if student in expected_total:
        assert sum(theirs.values()) == expected_total[student]
    if student == "two_wrong":
        assert theirs["softmax"] < 10 and theirs["welch_ttest"] < 10 and sum(theirs.values()) > 80


def test_an_endless_loop_ignoring_sigint_still_gets_a_recorded_grade(course):
    points = nbgrader_points(course, "looping")
    assert points["logsumexp"] == 0
    assert points["pca"] == 10                     # a warning on stderr costs nothing
    assert sum(points.values()) == 90
    grades = (course / "grades.csv").read_text()
    assert "looping" in grades


def test_feedback_shows_our_messages_but_no_hidden_source(course):
    html = (course / "feedback" / "two_wrong" / MODULE / f"{MODULE}.html").read_text(encoding="utf-8")
    assert "subtract the maximum of each slice" in html          # the named mistake
    assert "pooled the variances" in html
    for secret in ("HIDDEN TESTS", "graders.hidden", "graders.instructor", "score(&#39;", "score('", "Traceback (most recent"):
        assert secret not in html
    from graders.engine.registry import load
    from graders.modules.m02_math.stats import welch_ref

    for check in load(MODULE).exercise("welch_ttest").checks:        # no expected value of a hidden case
        if "in the notebook" in check.title:
            continue                                                  # the public example is visible anyway
        for case in check.materialize():
            for value in welch_ref(*case.args):
                # a short rendering ("6", "2.7": generated cases give such values) is found in any page
                for shown in {f"{value:.4f}", f"{value:.3g}"}:
                    assert len(shown) < 4 or shown not in html, shown


def test_hidden_cells_are_split_from_public_checks_idempotently():
    with open(SOLUTIONS / f"{MODULE}.ipynb", encoding="utf-8") as fh:
        nb = nbformat.read(fh, as_version=4)
    points = {f"{c.metadata['nbgrader']['grade_id']}": 10 for c in nb.cells
              if c.metadata.get("nbgrader", {}).get("solution")}
    once = with_hidden_tests(nb, MODULE, points)
    twice = with_hidden_tests(once, MODULE, points)
    assert nbformat.writes(once) == nbformat.writes(twice)
    graded = [c for c in once.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) == 10 and all(BEGIN in c.source and "assert" not in c.source for c in graded)
    public = [c for c in once.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("public_")]
    assert len(public) == 10 and all("assert" in c.source for c in public)


def test_hidden_score_in_a_kernel_matches_make_grade(grader, capsys):
    """graders.instructor.score_cell.score grades from the cells a kernel ran (nbgrader's default execution path)."""
    from banks import submission

    from graders.instructor.score_cell import score

    wrong = next(e for e in bank(MODULE, "mistakes") if e.path.stem == "softmax__no_max_shift")
    sub = submission(MODULE, {"softmax": wrong.source})
    ran = [src for _, src in sub.setup] + [src for _, src in sub.answers]
    expected = {ex.id: ex.points for ex in grader.grade(sub).exercises}
    assert score(MODULE, "softmax", inputs=ran) == expected["softmax"] < 10
    assert score(MODULE, "pca", inputs=ran) == expected["pca"] == 10
    assert "softmax:" in capsys.readouterr().out


def _module_ids_with_sources():
    from graders.engine.registry import module_ids

    return [m for m in module_ids() if (SOLUTIONS / f"{m}.ipynb").exists()]


@pytest.mark.parametrize("module_id", _module_ids_with_sources())
def test_every_module_releases_through_nbgrader_without_hidden_text(tmp_path, module_id):
    """`make course` covers every module: nbgrader releases it, one graded cell per exercise with the
    module's points, and nothing of the hidden tests or the reference answers."""
    from graders.engine.registry import load

    build_course(tmp_path, [module_id])
    nbgrader(tmp_path, "generate_assignment", module_id, "--force")
    release = nbformat.read(tmp_path / "release" / module_id / f"{module_id}.ipynb", as_version=4)
    text = nbformat.writes(release)
    for marker in (BEGIN, "graders.hidden", "graders.instructor", f"score({module_id!r}", "### BEGIN SOLUTION"):
        assert marker not in text
    graded = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in release.cells
              if c.metadata.get("nbgrader", {}).get("grade")}
    spec = load(module_id)
    assert graded == {f"test_{ex.id}": ex.points for ex in spec.exercises}
    with open(SOLUTIONS / f"{module_id}.ipynb", encoding="utf-8") as fh:
        source = nbformat.read(fh, as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    released = {c.metadata["nbgrader"]["grade_id"]: c.source for c in release.cells
                if c.metadata.get("nbgrader", {}).get("solution")}
    assert released == {gid: stub_source(src) for gid, src in answers.items()}     # stubs, never answers
