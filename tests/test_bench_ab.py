"""benchmarks/ab.py: a revision against the working tree, alternated, and the verdicts of both compared.

Its timings are printed, never asserted; what is asserted is what makes its figures worth reading: both sides
really grade (the same notebooks, each with its own graders and private folder), a difference in any verdict
is caught and fails the run, and nothing is left behind."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys

from graders.engine.paths import ROOT


def _ab():
    spec = importlib.util.spec_from_file_location("ab", ROOT / "benchmarks" / "ab.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _report(tmp_path, name, status="passed", points=10, message="took 0.12 s"):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"notebooks": [{"path": "/x/02_math.ipynb", "points": points, "max_points": 10,
                                               "exercises": [
        {"id": "softmax", "points": points, "checks": [
            {"status": status, "mistake": None if status == "passed" else "wrong-axis", "message": message}]}]}]}))
    return path


def test_verdicts_see_a_changed_status_or_points_but_not_a_message(tmp_path):
    ab = _ab()
    base, points = ab._read(_report(tmp_path, "a"))
    assert points == "10/10"
    assert base == ab._read(_report(tmp_path, "b", message="took 0.31 s"))[0]     # a speed budget's figures
    assert base != ab._read(_report(tmp_path, "c", status="incorrect"))[0]
    assert base != ab._read(_report(tmp_path, "d", points=7))[0]


def test_the_mistakes_notebook_answers_each_exercise_with_a_bank_mistake():
    ab = _ab()
    nb = ab._mistakes_notebook("09_nlp")
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    bank = {p.stem.split("__")[0] for p in (ROOT / "tests" / "modules" / "mistakes" / "09_nlp").glob("*.py")}
    assert bank and bank <= set(answers)
    first = min((ROOT / "tests" / "modules" / "mistakes" / "09_nlp").glob("bpe_train__*.py"))
    assert answers["bpe_train"] == first.read_text()


def test_a_run_grades_on_both_sides_agrees_with_itself_and_leaves_nothing(tmp_path):
    """HEAD against the working tree, one round of a light module's cold and mistaken grades: both sides agree
    (the mistaken one loses points: the comparison is of real verdicts), exit 0, no folder or worktree left."""
    before = subprocess.run(["git", "worktree", "list"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "ab.py"), "HEAD", "--modules", "09_nlp",
                           "--what", "cold,mistakes", "--rounds", "1"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "TMPDIR": str(tmp_path)}, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    cold = re.search(r"09_nlp cold: same results on both sides: yes \(([\d.]+)/([\d.]+) points\)", done.stdout)
    mistaken = re.search(r"09_nlp mistakes: same results on both sides: yes \(([\d.]+)/([\d.]+) points\)",
                         done.stdout)
    assert cold and mistaken, done.stdout
    assert float(cold[1]) == float(cold[2]) > 0                     # the reference: full marks
    assert float(mistaken[1]) < float(mistaken[2])                  # the bank's answers lose points
    assert "B/A" in done.stdout
    graded_with = dict(re.findall(r"side (\w) grades with (.+)", done.stdout))
    assert graded_with["A"].startswith(str(tmp_path)) and graded_with["B"] == str(ROOT / "graders")
    assert not list(tmp_path.glob("mlkata-ab-*"))
    after = subprocess.run(["git", "worktree", "list"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert after == before                                          # nothing added to the repository


def test_an_unknown_revision_is_a_clear_error_and_leaves_nothing(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "ab.py"), "no-such-revision-here"], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "TMPDIR": str(tmp_path)},
                          timeout=120, check=False)
    assert done.returncode != 0 and "git archive no-such-revision-here" in done.stderr
    assert not list(tmp_path.glob("mlkata-ab-*"))


def test_sides_that_disagree_on_a_verdict_fail_the_run(tmp_path, capsys):
    """measure() with two stand-in sides whose reports differ in one check's status: it says NO and returns
    False (ab.py then exits 1)."""
    ab = _ab()

    class Stub(ab.Side):
        def __init__(self, name, status):
            super().__init__(name, tmp_path, tmp_path)
            self.status = status

        def mlkata(self, *args, cwd):
            report = args[args.index("--json") + 1]
            _report(tmp_path, "stub", status=self.status).replace(report)
            return subprocess.CompletedProcess(args, 0, "", "")

    assert ab.measure([Stub("A", "passed"), Stub("B", "passed")], ["09_nlp"], ["cold"], 1, tmp_path, 4)
    assert "same results on both sides: yes" in capsys.readouterr().out
    assert not ab.measure([Stub("A", "passed"), Stub("B", "incorrect")], ["09_nlp"], ["cold"], 2, tmp_path, 4)
    assert "same results on both sides: NO" in capsys.readouterr().out
    # a verdict that changes from one run to the next, on one side only, is caught too
    flaky = Stub("B", "passed")
    statuses = iter(["incorrect", "passed"])      # the last runs agree: only the first differs

    def mlkata(*args, cwd):
        flaky.status = next(statuses)
        return Stub.mlkata(flaky, *args, cwd=cwd)

    flaky.mlkata = mlkata
    assert not ab.measure([Stub("A", "passed"), flaky], ["09_nlp"], ["cold"], 2, tmp_path, 4)
