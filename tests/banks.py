"""The test banks of a module: wrong answers and correct alternatives, one file each.

``tests/modules/mistakes/<module>/<exercise>__<slug>.py`` holds the whole answer cell of a
wrong answer; its first lines say what the grader must answer:

    # mistake: no-max-shift          (the id the grader must recognise; optional)
    # expect: subtract the maximum   (text that must appear in the feedback)

``tests/modules/alternatives/<module>/<exercise>__<slug>.py`` holds a correct answer written
differently; it must get full marks.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from graders.engine.notebook import Submission, nbgrader_meta, submission_from_notebook
from graders.engine.paths import SOLUTIONS

TESTS = Path(__file__).parent
BANKS = TESTS / "modules"           # mistakes/<module>/ and alternatives/<module>/


@dataclass(frozen=True)
class Entry:
    module: str
    exercise: str
    path: Path
    source: str
    mistake: str | None
    expect: tuple[str, ...]

    def __str__(self) -> str:
        return self.path.stem


def bank(module: str, kind: str) -> list[Entry]:
    entries = []
    for path in sorted((BANKS / kind / module).glob("*.py")):
        source = path.read_text(encoding="utf-8")
        meta: dict[str, list[str]] = {}
        for line in source.splitlines():
            if not line.startswith("# ") or ":" not in line:
                break
            key, _, value = line[2:].partition(":")
            meta.setdefault(key.strip(), []).append(value.strip())
        entries.append(Entry(module, path.stem.split("__")[0], path, source,
                             (meta.get("mistake") or [None])[0], tuple(meta.get("expect", []))))
    return entries


def solution_notebook(module: str):
    with open(SOLUTIONS / f"{module}.ipynb", encoding="utf-8") as fh:
        return nbformat.read(fh, as_version=4)


def submission(module: str, replace: dict[str, str] | None = None, notebook=None) -> Submission:
    """The reference solution with some answer cells replaced (by exercise id)."""
    nb = notebook if notebook is not None else solution_notebook(module)
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if replace and meta.get("grade_id") in replace and meta.get("solution"):
            cell.source = replace[meta["grade_id"]]
    return submission_from_notebook(nb, f"{module}.ipynb")


def grade_entry(grader, entry: Entry):
    """Grade one bank entry in place of the reference answer; returns the exercise's result."""
    result = grader.grade(submission(entry.module, {entry.exercise: entry.source}), only=[entry.exercise])
    assert result.error is None, result.error
    (ex,) = result.exercises
    return ex


@dataclass(frozen=True)
class FreshGrades:
    """Three grades of a module in fresh processes (:func:`graded_in_fresh_processes`), in order: the first on a
    new home, a later one on that home, one after ``mlkata warm`` on another."""

    grades: tuple[list, list, list]       # each [[exercise, points, named mistakes], ...]
    imported: tuple[list, list, list]     # each: those of the asked libraries the grading process imported
    also: tuple                           # each: the value of the asked expression, or None
    warmed: str                           # what `mlkata warm` printed
    kept: list[Path]                      # the kept-value files it left

    @property
    def named(self) -> dict[str, list[str]]:
        """The mistakes the first grade named, by exercise."""
        return {ex_id: named for ex_id, points, named in self.grades[0] if named}

    def tables(self, module: str) -> list[str]:
        """The kept tables' names, sorted, without ``module``'s prefix and the recipe digest each file ends with
        (``02_math-welch-<digest>`` is ``welch``)."""
        return sorted(path.name.rsplit("-", 1)[0].removeprefix(f"{module}-") for path in self.kept)


def written_tables(module: str) -> tuple[str, str]:
    """``(before, also)`` for :func:`graded_in_fresh_processes`: ``also`` is then the sorted names (without their
    recipe digests) of ``module``'s kept-value tables that the grade wrote; a kept oracle writes its table
    whenever it computes an output it did not find, so a grade that found every output writes none."""
    before = ("import os, pathlib\nVALUES = pathlib.Path(os.environ['MLKATA_HOME'], 'values')\n"
              f"SEEN = {{p.name: p.stat().st_mtime_ns for p in VALUES.glob('{module}-*')}}\n")
    also = (f"sorted(p.name.rsplit('-', 1)[0] for p in VALUES.glob('{module}-*') "
            "if SEEN.get(p.name) != p.stat().st_mtime_ns)")
    return before, also


def graded_in_fresh_processes(module: str, stems: tuple[str, ...], folder: Path, libraries: tuple[str, ...] = (),
                              also: str | None = None, before: str = "", only: tuple[str, ...] = (),
                              warm: str | None = None) -> FreshGrades:
    """For a module whose oracles keep their outputs (engine/kept_values.py): its reference with the mistakes
    ``stems`` (bank file names) in place, graded in three fresh processes: twice with one new home, then once
    more after ``mlkata warm`` with another. Each reports its points and named mistakes, which of ``libraries``
    it imported, and the value of the expression ``also`` (``before``, statements run before the grade, may
    set up what it reads). ``only``: the exercises graded (default all); ``warm``: a script run in place of
    ``mlkata warm`` (one that calls the module's warm_up with a slow part of it stubbed)."""
    import json
    import os
    import subprocess
    import sys

    from graders.engine import kept_values
    from graders.engine.paths import ROOT

    entries = {entry.path.stem: entry for entry in bank(module, "mistakes")}
    wrong = {stem.split("__")[0]: entries[stem].source for stem in stems}
    script = ("import json, sys\nfrom banks import submission\nfrom graders.engine.runner import Grader\n" + before +
              f"\nresult = Grader().grade(submission({module!r}, {wrong!r}), only={list(only) or None!r})\n"
              "print(json.dumps([[[ex.id, ex.points, list(ex.mistakes)] for ex in result.exercises], "
              f"[m for m in {libraries!r} if m in sys.modules], {also or 'None'}]))\n")

    def run(home: str, *argv: str) -> str:
        env = {**os.environ, "MLKATA_HOME": str(folder / home), "PYTHONPATH": f"{ROOT}{os.pathsep}{TESTS}"}
        return subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True,
                              check=True).stdout

    runs = [json.loads(run("graded", "-c", script).splitlines()[-1]) for _ in range(2)]
    warmed = run("warmed", "-c", warm) if warm else run("warmed", "-m", "graders", "warm", module)
    runs.append(json.loads(run("warmed", "-c", script).splitlines()[-1]))
    grades, imported, also_values = zip(*runs)
    return FreshGrades(grades, imported, also_values, warmed,
                       list((folder / "warmed" / kept_values.FOLDER).iterdir()))


def describe(ex) -> str:
    return f"{ex.id}: {ex.status.value} {ex.points}/{ex.max_points}\n" + "\n".join(ex.feedback)


class ModuleGraderSuite:
    """The tests every module's grader must pass; a module's test file subclasses it:

        class TestGrader(ModuleGraderSuite):
            MODULE = "02_math"

    ``mistake`` and ``alternative`` are parametrized over the module's banks (see conftest).
    """

    MODULE = ""

    @property
    def spec(self):
        from graders.engine.registry import load

        return load(self.MODULE)

    def test_reference_solution_scores_full_marks(self, grader):
        result = grader.grade(submission(self.MODULE))
        assert result.error is None, result.error
        assert not result.notes, result.notes
        for ex in result.exercises:
            assert ex.status.value == "passed", describe(ex)
            assert not ex.notes, ex.notes
        assert result.points == result.max_points == self.spec.points

    def test_untouched_exercise_notebook_scores_zero_not_attempted(self, grader):
        """Graded in the sandbox (every answer cell given a comment), the released notebook earns nothing and
        every exercise is "not attempted"; exactly as released, it is judged without a sandbox
        (engine/untouched.py), which is only right while the two verdicts agree check by check."""
        import dataclasses

        from graders.engine.notebook import read_submission
        from graders.engine.paths import EXERCISES

        released = read_submission(EXERCISES / f"{self.MODULE}.ipynb")
        edited = dataclasses.replace(released, answers=tuple((grade_id, source + "\n# a learner's note\n")
                                                             for grade_id, source in released.answers))
        run, judged = grader.grade(edited), grader.grade(released)
        for result in (run, judged):
            assert result.error is None, result.error
            assert result.points == 0 and not result.notes, result.notes
            assert [ex.id for ex in result.exercises] == [ex.id for ex in self.spec.exercises]
            for ex in result.exercises:
                assert ex.status.value == "not_attempted", describe(ex)
        assert [[(c.title, c.status, c.max_points) for c in ex.checks] for ex in run.exercises] == \
               [[(c.title, c.status, c.max_points) for c in ex.checks] for ex in judged.exercises]

    def test_two_exercises_at_a_time_where_the_module_allows_it_score_as_one_at_a_time(self, grader, monkeypatch):
        """A learner's own grade takes two exercises at once where the module says its probes allow it
        (``Module.parallel_exercises``, engine/parallel.py): the reference's results are then exactly those
        of one exercise at a time, and both sides probed (on twins of the sandbox, or on sandboxes of their own
        where every answer gets one: ``Module.isolated_answers``); a module that does not allow it makes none."""
        import threading

        from graders.engine.runner import Grader
        from graders.engine.sandbox import Sandbox

        one_at_a_time = grader.grade(submission(self.MODULE))
        twins, real_twin, sides, real_probe = [], Sandbox.twin, set(), Sandbox.probe
        monkeypatch.setattr(Sandbox, "twin", lambda box: twins.append(1) or real_twin(box))
        monkeypatch.setattr(Sandbox, "probe", lambda box, *args, **kwargs: sides.add(
            threading.current_thread().name) or real_probe(box, *args, **kwargs))
        with Grader(exercise_workers=2) as two:
            side_by_side = two.grade(submission(self.MODULE))
        assert side_by_side.error is None, side_by_side.error
        assert [[(c.title, c.status, c.points, c.message) for c in ex.checks] for ex in side_by_side.exercises] == \
               [[(c.title, c.status, c.points, c.message) for c in ex.checks] for ex in one_at_a_time.exercises]
        assert side_by_side.points == self.spec.points
        assert len(sides) == (2 if self.spec.parallel_exercises else 1)
        assert len(twins) == (2 if self.spec.parallel_exercises and not self.spec.isolated_answers else 0)

    def test_mistake_loses_points_and_is_named(self, grader, mistake):
        ex = grade_entry(grader, mistake)
        assert ex.points < ex.max_points, describe(ex)
        if mistake.mistake:
            assert mistake.mistake in ex.mistakes, describe(ex)
        text = "\n".join(ex.feedback)
        for expected in mistake.expect:
            assert expected in text, describe(ex)

    def test_correct_alternative_gets_full_marks(self, grader, alternative):
        ex = grade_entry(grader, alternative)
        assert ex.status.value == "passed", describe(ex)

    def test_bank_covers_every_exercise(self):
        ids = {ex.id for ex in self.spec.exercises}
        mistakes = [e.exercise for e in bank(self.MODULE, "mistakes")]
        alternatives = {e.exercise for e in bank(self.MODULE, "alternatives")}
        for ex_id in ids:
            assert mistakes.count(ex_id) >= 2, f"{ex_id}: fewer than 2 wrong answers in the bank"
            assert ex_id in alternatives, f"{ex_id}: no correct alternative in the bank"
        assert set(mistakes) <= ids and alternatives <= ids, "bank entries for unknown exercises"
