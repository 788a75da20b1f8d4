"""Mock interviews: seeded draws, session notebooks outside exercises/, the same points as module grading,
time per exercise from the history, and a report of strengths, gaps and the next module."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import datetime, timedelta

import nbformat
import pytest
from banks import BANKS, solution_notebook

from graders.engine.notebook import submission_from_notebook
from graders.engine.paths import EXERCISES, ROOT
from graders.learner import history
from graders.learner.interview import draw as interview
from graders.learner.interview.draw import Entry, InterviewError, Source, build_notebook, catalog, draw
from graders.learner.interview.report import InterviewSession, build_report, exercise_times, grade, module_submissions

MODULES = ["02_math", "05_evaluation"]     # complete modules: the tests do not depend on ones being written
REFERENCE = {m: dict(submission_from_notebook(solution_notebook(m)).answers) for m in MODULES}


@pytest.fixture(scope="module")
def sources():
    found, skipped = catalog(MODULES + ["99_missing"])
    assert [s.spec.id for s in found] == MODULES and skipped == ["99_missing"]
    return found


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("MLKATA_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MLKATA_SANDBOX", raising=False)
    return tmp_path / "home"


def keys(entries):
    return [e.key for e in entries]


def written(sources, tmp_path, n=4, seed=7, skills=None, answers=None):
    """A session notebook on disk, with some answer cells filled (exercise id -> source)."""
    entries = draw(sources, n, skills, seed)
    nb = build_notebook(entries, sources, "interview-test.ipynb", seed=seed, skills=skills)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in (answers or {}):
            cell.source = answers[grade_id]
    nbformat.validate(nb)
    path = tmp_path / "interview-test.ipynb"
    nbformat.write(nb, path)
    return path, entries


def test_the_same_seed_draws_the_same_interview(sources):
    first, again = draw(sources, 5, seed=7), draw(sources, 5, seed=7)
    assert keys(first) == keys(again) and len(first) == 5
    others = {tuple(keys(draw(sources, 5, seed=s))) for s in range(1, 6)}
    assert len(others) > 1, "different seeds should give different interviews"
    one = build_notebook(first, sources, "x.ipynb", seed=7, started="2026-01-01T10:00:00+00:00")
    two = build_notebook(again, sources, "x.ipynb", seed=7, started="2026-01-01T10:00:00+00:00")
    assert nbformat.writes(one) == nbformat.writes(two)


def test_the_draw_spreads_across_skill_areas(sources):
    entries = draw(sources, 4, seed=3)
    assert sorted(e.area for e in entries) == ["evaluation", "evaluation", "math", "math"]
    assert len(draw(sources, 500, seed=3)) == sum(len(s.entries) for s in sources)   # capped, no repeats


@pytest.mark.parametrize("skills", [["evaluation"], ["05_evaluation"], ["Evaluation "]])
def test_the_skills_filter_keeps_only_those_areas(sources, skills):
    assert {e.module for e in draw(sources, 6, skills, seed=1)} == {"05_evaluation"}


def test_an_unknown_skill_is_refused_with_the_known_ones(sources):
    with pytest.raises(InterviewError, match="choose among: .*evaluation.*math"):
        draw(sources, 3, ["astrology"], seed=1)


def test_prerequisites_come_along_and_never_overflow_n():
    def entry(id_, requires=()):
        return Entry("06_x", id_, "dl", "dl", 10, id_, "**Task.**", None, tuple(requires))

    unit = (entry("train_epoch"), entry("evaluate"), entry("fit", ["train_epoch", "evaluate"]))
    source = Source(None, (), unit, {})
    for seed in range(20):
        drawn = [e.id for e in draw([source], 3, seed=seed)]
        assert sorted(drawn) == ["evaluate", "fit", "train_epoch"] and drawn.index("fit") == 2
        assert "fit" not in [e.id for e in draw([source], 2, seed=seed)]


def test_the_task_statement_is_cut_from_the_lesson(sources):
    softmax = next(e for s in sources for e in s.entries if e.id == "softmax")
    assert softmax.heading.startswith("`softmax(z, axis=-1)`") and softmax.task.startswith("**Task.**")
    assert "The pitfall" not in softmax.task


def test_interviews_never_touch_exercises(sources, home, tmp_path, monkeypatch):
    monkeypatch.setattr(interview, "catalog", lambda: (sources, []))
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in EXERCISES.glob("*.ipynb")}
    with pytest.raises(InterviewError, match="never go into exercises"):
        interview.create(2, seed=1, out=EXERCISES)
    with pytest.raises(InterviewError, match="never go into exercises"):
        interview.create(2, seed=1, out=EXERCISES / "sub")
    paths = [interview.create(2, seed=1, out=tmp_path / "iv")[0] for _ in range(2)]
    assert paths[0] != paths[1], "a second interview in the same second must not overwrite the first"
    assert all(p.parent == tmp_path / "iv" and p.name.startswith("interview-") for p in paths)
    assert (tmp_path / "iv" / ".gitignore").read_text().strip().endswith("*")
    assert before == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in EXERCISES.glob("*.ipynb")}
    plan = nbformat.read(paths[0], as_version=4).metadata["mlkata"]
    assert plan["interview"]["started"] and plan["interview"]["seed"] == 1
    assert [m["id"] for m in plan["modules"]] == sorted({e["module"] for e in plan["interview"]["exercises"]},
                                                         key=[e["module"] for e in plan["interview"]["exercises"]].index)


def filled_answers(entries):
    """Reference answers for math, a named mistake (or a stub) for evaluation."""
    answers = {}
    for e in entries:
        if e.module == "02_math":
            answers[e.id] = REFERENCE[e.module][e.id]
        else:
            mistakes = sorted((BANKS / "mistakes" / e.module).glob(f"{e.id}__*.py"))
            if mistakes:
                answers[e.id] = mistakes[0].read_text()
    return answers


@pytest.fixture(scope="module")
def graded(sources, grader, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("graded")
    entries = draw(sources, 6, seed=11)
    answers = filled_answers(entries)
    path, _ = written(sources, tmp, n=6, seed=11, answers=answers)
    report = grade(path, grader=grader, history_file=tmp / "history.jsonl")
    return entries, answers, report, path


def test_an_interview_gets_the_points_of_its_exercises_in_their_modules(graded, grader, tmp_path):
    entries, answers, report, _ = graded
    assert {e.status for e in report.exercises} >= {"passed", "incorrect"}
    for module in {e.module for e in entries}:
        nb = nbformat.read(EXERCISES / f"{module}.ipynb", as_version=4)   # the committed stubs, not modified
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
                cell.source = answers[grade_id]
        ids = [e.id for e in entries if e.module == module]
        alone = grader.grade(submission_from_notebook(nb, str(tmp_path / f"{module}.ipynb")), only=ids)
        got = {x.id: (x.points, x.status, x.feedback) for x in report.exercises if x.module == module}
        want = {ex.id: (ex.points, ex.status.public, ex.feedback if ex.status.public != "passed" else ())
                for ex in alone.exercises}
        assert got == want


def test_the_report_names_strengths_gaps_and_a_next_module(graded):
    _, _, report, path = graded
    verdicts = {s.area: s.verdict for s in report.skills}
    assert verdicts == {"math": "strength", "evaluation": "gap"}
    assert report.next_module == "05_evaluation" and "exercises/05_evaluation.ipynb" in report.advice
    assert report.path == str(path) and report.points == sum(e.points for e in report.exercises)


def test_grading_records_interview_events(graded):
    entries, _, _, path = graded
    events = history.read(path.parent / "history.jsonl")
    grades = [e for e in events if e.get("event") == "grade"]
    assert {(e["module"], e["exercise"]) for e in grades} == set(keys(entries))
    assert {e["source"] for e in grades} == {"interview"} and {e["interview"] for e in grades} == {path.stem}
    assert events[-1]["event"] == "interview" and events[-1]["action"] == "finish"


def test_time_per_exercise_comes_from_the_history():
    start = datetime(2026, 1, 1, 10, 0).astimezone()
    plan = {"interview": {"started": start.isoformat(), "exercises": [
        {"module": "m", "id": i, "area": "a", "points": 10} for i in ("a", "b", "c", "d")]}}

    def event(minute, exercise, status):
        return {"event": "grade", "module": "m", "exercise": exercise, "status": status,
                "time": (start + timedelta(minutes=minute)).isoformat()}

    events = [event(3, "a", "incorrect"), event(5, "a", "passed"), event(9, "a", "passed"),
              event(12, "b", "incorrect"), event(14, "b", "error"),          # last attempt ends b
              event(20, "c", "passed"), event(20, "d", "passed"),           # one grade ended both: split
              event(25, "d", "passed")]
    times = exercise_times(plan, events)
    assert times == {("m", "a"): 300.0, ("m", "b"): 540.0, ("m", "c"): 180.0, ("m", "d"): 180.0}
    assert exercise_times(plan, []) == {}


def test_an_empty_history_and_blank_answers_still_report(sources, grader, tmp_path, home):
    path, entries = written(sources, tmp_path, n=3, seed=5)
    report = grade(path, grader=grader)
    assert all(e.status == "not_attempted" and e.seconds is None for e in report.exercises)
    assert report.points == 0 and {s.verdict for s in report.skills} == {"gap"}
    assert report.next_module in MODULES and report.errors == ()


def test_check_inside_the_interview_grades_live_answers_and_is_timed(sources, grader, tmp_path):
    path, entries = written(sources, tmp_path, n=4, seed=2)
    math_entry = next(e for e in entries if e.module == "02_math")
    ran = ["import numpy as np", REFERENCE["02_math"][math_entry.id]]       # run in the kernel, never saved
    log = tmp_path / "history.jsonl"
    session = InterviewSession(path, inputs=ran, grader=grader, history_file=log)
    (result,) = session.grade(math_entry.id)
    assert [(ex.id, ex.status.public) for ex in result.exercises] == [(math_entry.id, "passed")]
    session.check("no_such_exercise")                                        # a message, not an exception
    report = build_report(session.plan, [result], history.read(log))
    line = next(x for x in report.exercises if x.id == math_entry.id)
    assert line.seconds is not None and {e["source"] for e in history.read(log)} == {"interview-check"}


def test_check_runs_in_a_real_kernel_on_the_code_it_ran(sources, tmp_path, home):
    from nbclient import NotebookClient

    path, entries = written(sources, tmp_path, n=2, skills=["math"], seed=4)     # saved with stubs only
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    first.source = REFERENCE["02_math"][first.metadata["nbgrader"]["grade_id"]]   # typed, run, never saved
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown = [o.get("data", {}).get("text/plain", "") for c in nb.cells if c.source.startswith("check(")
             for o in c.get("outputs", [])]
    assert f"{entries[0].id}: 10/10 points, passed" in shown[0] and "not attempted" in shown[1], shown
    checks = [e for e in history.read() if e.get("source") == "interview-check"]
    assert {e["interview"] for e in checks} == {path.stem} and len(checks) == 2


def test_a_session_splits_into_one_submission_per_module(sources, tmp_path):
    path, entries = written(sources, tmp_path, n=4, seed=9)
    subs = module_submissions(nbformat.read(path, as_version=4), path)
    assert set(subs) == {e.module for e in entries}
    for module, sub in subs.items():
        assert [g for g, _ in sub.answers] == [e.id for e in entries if e.module == module]
        assert len(sub.setup) == 1 and sub.version == "1"


def test_the_command_builds_and_grades(tmp_path):
    env = {"MLKATA_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "COLUMNS": "120"}
    run = subprocess.run([sys.executable, "-m", "graders", "interview", "--n", "2", "--skills", "math",
                          "--seed", "4", "--out", str(tmp_path / "iv")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "seed 4" in run.stdout and "02_math" in run.stdout
    done = subprocess.run([sys.executable, "-m", "graders", "interview", "--finish", "--out", str(tmp_path / "iv")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Strengths" in done.stdout and "Gaps: math" in done.stdout and "Next:" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "graders", "interview", "--grade", str(ROOT / "exercises" /
                          "02_math.ipynb")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "not an interview notebook" in bad.stderr
