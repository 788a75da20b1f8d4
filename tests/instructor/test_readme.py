"""The README's commands, run literally in a fresh copy of the repository (issue 25).

How the steps are found: every fenced ```bash block directly under a heading (up to the next heading of any
level) is a step. The instructor's steps are the blocks under "## For instructors"; the learner's steps not
covered elsewhere are the blocks under "### Starting an exercise notebook over", "## Practice for an
interview" and "### Your progress". Each block runs as written, with `bash -eo pipefail` from the copy's
root, so when the README and the code disagree (a renamed target, a wrong path, a missing step) this fails.
The only edit is the placeholder of an interview notebook's name, replaced by the path `make interview`
printed.

The copy: the files `git ls-files` lists (tracked and untracked-not-ignored: what is on disk, committed or
not), plus a `.venv` made of links to the venv running the tests and its own set-up stamp, so `make` finds
the project installed and installs nothing. `PATH` does not contain the venv (nothing is activated);
`PYTHONPATH` is the copy, so the copy's code runs even though the venv's editable install points at the
checkout. The instructor's course is built once and reused by every check of this file.
"""
from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest
from banks import bank

from graders.engine.paths import ROOT

BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
INSTRUCTOR = "## For instructors"
RESET, PROGRESS = "### Starting an exercise notebook over", "### Your progress"
INTERVIEW = "## Practice for an interview"
# the README names an interview notebook `interviews/interview-<date>-<time>-seed<seed>.ipynb`
INTERVIEW_PLACEHOLDER = re.compile(r"interviews/interview-[^\s\"']*<[^\s\"']*\.ipynb")
# what a fresh shell would not have: an activated venv, make's variables, the tests' private home
DROPPED = ("VIRTUAL_ENV", "PYTHONHOME", "MLKATA_HOME", "PYTEST_CURRENT_TEST", "MAKEFLAGS", "MFLAGS", "MAKELEVEL",
           "MAKEOVERRIDES", "NB", "MODULE", "EX", "INTERVIEW_ARGS", "COURSE_ARGS", "PYTEST_ARGS", "VENV", "PYTHON",
           "TORCH_SPEC")


def bash_blocks(markdown: str, heading: str) -> list[str]:
    """The ```bash blocks directly under ``heading``, up to the next heading of any level."""
    blocks, current, inside, fence = [], None, False, None
    for line in markdown.splitlines():
        if fence is not None:                                   # in a fenced block: `#` lines are comments
            if line.startswith("```"):
                if current is not None:
                    blocks.append("\n".join(current))
                fence, current = None, None
            elif current is not None:
                current.append(line)
            continue
        if line.startswith("```"):
            fence = line[3:].strip()
            current = [] if inside and fence == "bash" else None
        elif re.match(r"#{1,6} ", line):
            if inside:
                break
            inside = line.strip() == heading
    assert blocks, f"README.md has no ```bash block under {heading!r} (this test runs them; see its docstring)"
    return blocks


def _copy_tree(target: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():                                    # a tracked file deleted on disk stays out
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


STAMPS = (".mlkata-installed", ".mlkata-warmed")      # the Makefile's STAMP and WARMED


def _link_venv(target: Path) -> Path:
    """``target/.venv``: links to this venv's parts, plus fresh set-up stamps of its own."""
    venv = Path(sys.prefix)
    own = target / ".venv"
    own.mkdir()
    for entry in venv.iterdir():
        if entry.name not in STAMPS:
            (own / entry.name).symlink_to(entry)
    for stamp in STAMPS:                    # newer than the copy's pyproject.toml and graders/: no set-up, no warm
        (own / stamp).touch()
    return venv


def _environment(clone: Path, venv: Path) -> dict[str, str]:
    venv_bins = {os.path.realpath(p) for p in (venv / "bin", sysconfig.get_path("scripts"),
                                               os.path.dirname(sys.executable))}
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep)
            if p and os.path.realpath(p) not in venv_bins]
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    return {**env, "PATH": os.pathsep.join(path), "PYTHONPATH": str(clone), "COLUMNS": "160"}


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    if sys.prefix == sys.base_prefix:
        pytest.skip("the README's steps use .venv/: run the tests from the project's venv (make test)")
    if shutil.which("make") is None:
        pytest.skip("the README's steps need `make`")
    root = tmp_path_factory.mktemp("readme") / "mlkata"
    root.mkdir()
    _copy_tree(root)
    return root, _environment(root, _link_venv(root))


def run_block(clone, block: str) -> str:
    root, env = clone
    done = subprocess.run(["bash", "-eo", "pipefail", "-c", block], check=False, cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    if done.returncode:
        pytest.fail(f"README step failed (exit {done.returncode}):\n{block}\n--- its output:\n"
                    f"{done.stdout}{done.stderr}", pytrace=False)
    return done.stdout + done.stderr


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def solution_sources(root: Path, module: str) -> dict[str, str]:
    nb = nbformat.read(root / "solutions" / f"{module}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def filled(nb, answers: dict[str, str]):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in answers:
            cell.source = answers[meta["grade_id"]]
    return nb


# ---------------------------------------------------------------- the instructor's section, run once

@pytest.fixture(scope="module")
def course(clone):
    """Runs every block of "For instructors"; hands in two submissions as soon as a module is released."""
    root, _ = clone
    folder, submitted = root / "course", None
    for block in bash_blocks(readme(), INSTRUCTOR):
        run_block(clone, block)
        released = sorted(p.name for p in (folder / "release").glob("*") if p.is_dir())
        if submitted is None and released:
            submitted = hand_in(root, folder, released[0])
    assert submitted is not None, "the README's instructor steps never release a module into course/release/"
    return folder, submitted


def hand_in(root: Path, folder: Path, module: str) -> dict:
    """Two submissions where nbgrader expects them: one correct, one with a mistake from the bank."""
    release = nbformat.read(folder / "release" / module / f"{module}.ipynb", as_version=4)
    reference = solution_sources(root, module)
    mistake = bank(module, "mistakes")[0]
    assert mistake.expect, f"{mistake.path} has no `# expect:` line"
    for student, answers in (("alice", reference), ("bob", {**reference, mistake.exercise: mistake.source})):
        target = folder / "submitted" / student / module / f"{module}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(filled(release, answers), target)
    return {"module": module, "mistake": mistake}


def test_instructor_steps_export_the_grades_of_both_submissions(course):
    folder, run = course
    with open(folder / "grades.csv", encoding="utf-8", newline="") as fh:
        rows = {row["student_id"]: row for row in csv.DictReader(fh) if row["assignment"] == run["module"]}
    assert set(rows) == {"alice", "bob"}
    alice, bob = (float(rows[s]["score"]) for s in ("alice", "bob"))
    assert alice == float(rows["alice"]["max_score"]) == 100
    assert 0 < bob < alice                                  # the mistake costs points, the rest still counts


def page_text(path: Path) -> str:
    """What a feedback page says: its text without tags (syntax highlighting splits code into spans)."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def test_instructor_feedback_names_the_mistake_and_hides_the_hidden_tests(course):
    folder, run = course
    module, mistake = run["module"], run["mistake"]
    pages = {s: page_text(folder / "feedback" / s / module / f"{module}.html") for s in ("alice", "bob")}
    for expect in mistake.expect:
        assert expect in pages["bob"] and expect not in pages["alice"], expect
    source = nbformat.read(folder / "source" / module / f"{module}.ipynb", as_version=4)
    hidden = [line.strip() for cell in source.cells if BEGIN_HIDDEN in cell.source
              for line in cell.source.split(BEGIN_HIDDEN, 1)[1].split(END_HIDDEN, 1)[0].splitlines() if line.strip()]
    assert hidden, "the course's source notebook has no hidden tests to look for"
    for page in pages.values():
        for secret in (BEGIN_HIDDEN, "graders.instructor", "graders.hidden", "Traceback (most recent", *hidden):
            assert secret not in page, secret


def test_instructor_release_has_no_solutions_and_no_hidden_tests(course):
    folder, run = course
    text = (folder / "release" / run["module"] / f"{run['module']}.ipynb").read_text(encoding="utf-8")
    for marker in (BEGIN_HIDDEN, "### BEGIN SOLUTION", "graders.instructor"):
        assert marker not in text


def test_instructor_steps_run_too_early_say_what_to_run_first(clone, course):
    """Clear errors from the real command in the unactivated shell: one line, exit status 1, no traceback."""
    root, env = clone
    folder, _ = course
    built = {p.name for p in (folder / "source").iterdir()}
    unreleased = sorted(built - {p.name for p in (folder / "release").iterdir()})
    assert unreleased, "the README's `make course` should build every module, and release one"
    elsewhere = root / "datasets"           # not a course folder, and none under it
    mlkata = [str(root / ".venv" / "bin" / "mlkata"), "course"]
    for args, cwd, says in ((["autograde", "02_math"], elsewhere, "run `mlkata course build`"),
                            (["release", "no_such_module"], folder, "run `mlkata course build no_such_module`"),
                            (["autograde", unreleased[0]], folder, f"run `mlkata course release {unreleased[0]}`")):
        done = subprocess.run([*mlkata, *args], check=False, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=300)
        message = done.stderr.strip()
        assert done.returncode == 1 and says in message and "\n" not in message, (args, done.stdout, message)
        assert "Traceback" not in done.stdout + done.stderr


# ---------------------------------------------------------------- the learner's sections not covered elsewhere

def test_make_reset_keeps_the_learners_copy_and_writes_a_fresh_one(clone):
    root, _ = clone
    (block,) = bash_blocks(readme(), RESET)
    module = re.search(r"MODULE=(\S+)", block).group(1)
    notebook = root / "exercises" / f"{module}.ipynb"
    fresh = notebook.read_bytes()
    nb = nbformat.reads(fresh.decode(), 4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    answer.source = "# my half-finished answer\n" + answer.source
    nbformat.write(nb, notebook)
    run_block(clone, block)
    (backup,) = (root / ".mlkata" / "backups").glob(f"{module}.*.ipynb")       # where the README says
    assert "# my half-finished answer" in backup.read_text(encoding="utf-8")
    assert notebook.read_bytes() == fresh


def test_make_interview_then_grade_then_progress(clone):
    root, _ = clone
    printed, graded = "", False
    for block in bash_blocks(readme(), INTERVIEW):
        if INTERVIEW_PLACEHOLDER.search(block):
            made = re.findall(r"notebook: (\S+\.ipynb)", printed)
            assert made, f"`make interview` printed no notebook path:\n{printed}"
            expected = work_on_interview(root / made[-1])
            report = run_block(clone, INTERVIEW_PLACEHOLDER.sub(made[-1], block))
            points = re.search(r"· ([\d.]+)/([\d.]+) points", report)
            assert points and tuple(map(float, points.groups())) == expected, report
            graded = True
            for heading in ("Points and time per exercise", "Strengths and gaps per skill", "Next:"):
                assert heading in report
        else:
            printed += run_block(clone, block)
    assert graded, f"no ```bash block under {INTERVIEW!r} grades an interview notebook"

    (block,) = bash_blocks(readme(), PROGRESS)
    shown = run_block(clone, block)
    assert "No grades recorded yet" not in shown
    assert (root / ".mlkata" / "progress.html").is_file() and (root / ".mlkata" / "history.jsonl").is_file()


def work_on_interview(path: Path) -> tuple[float, float]:
    """Answer every exercise but the last with the reference: (points the report must give, max points)."""
    nb = nbformat.read(path, as_version=4)
    drawn = nb.metadata["mlkata"]["interview"]["exercises"]
    answers = {e["id"]: solution_sources(path.parents[1], e["module"])[e["id"]] for e in drawn[:-1]}
    nbformat.write(filled(nb, answers), path)
    return sum(e["points"] for e in drawn[:-1]), sum(e["points"] for e in drawn)
