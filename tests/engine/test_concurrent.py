"""Several notebooks graded at once (``make grade`` of a course): each result as if graded alone, in order."""
from __future__ import annotations

import shutil
import threading

import pytest

from graders.engine.concurrent import default_workers, grade_paths_concurrently
from graders.engine.paths import EXERCISES, SOLUTIONS
from graders.engine.runner import Grader


def _course(tmp_path):
    """Two written notebooks, an untouched one and a broken file, in a learner's order."""
    paths = [tmp_path / "a_02_math.ipynb", tmp_path / "b_broken.ipynb", tmp_path / "c_02_math.ipynb",
             tmp_path / "d_02_math.ipynb"]
    shutil.copy(SOLUTIONS / "02_math.ipynb", paths[0])
    paths[1].write_text("{ not json", encoding="utf-8")
    shutil.copy(EXERCISES / "02_math.ipynb", paths[2])
    shutil.copy(SOLUTIONS / "02_math.ipynb", paths[3])
    return paths


def test_two_written_notebooks_are_graded_at_the_same_time_each_as_if_alone(tmp_path, monkeypatch):
    paths = _course(tmp_path)
    with Grader() as alone:
        expected = alone.grade_paths(paths)

    both_in_flight = threading.Barrier(2, timeout=120)     # broken (an error) unless two grades overlap
    real_grade, real_close, closed, heard = Grader.grade, Grader.close, [], []

    def grade(grader, sub, only=None):
        if not grader.untouched(sub) and sub.module:
            both_in_flight.wait()
        return real_grade(grader, sub, only)

    def close(grader):
        closed.append(grader)
        real_close(grader)

    monkeypatch.setattr(Grader, "grade", grade)
    monkeypatch.setattr(Grader, "close", close)
    with Grader() as first:
        report = grade_paths_concurrently(first, paths, workers=2, on_graded=heard.append)
        assert len(closed) == 1 and closed[0] is not first       # the second worker's grader, closed at the end

    assert [nb.path for nb in report.notebooks] == [str(p) for p in paths]
    assert sorted(nb.path for nb in heard) == sorted(str(p) for p in paths)
    for got, want in zip(report.notebooks, expected.notebooks):
        assert got.error == want.error
        assert [(ex.id, ex.status, ex.points) for ex in got.exercises] == \
               [(ex.id, ex.status, ex.points) for ex in want.exercises]
    written, broken, untouched, _ = report.notebooks
    assert written.points == written.max_points > 0 and untouched.points == 0 and broken.error


def test_one_written_notebook_takes_one_worker(tmp_path, monkeypatch):
    paths = _course(tmp_path)[:3]
    made = []
    real_sibling = Grader.sibling
    monkeypatch.setattr(Grader, "sibling", lambda grader: made.append(1) or real_sibling(grader))
    with Grader() as first:
        report = grade_paths_concurrently(first, paths, workers=2)
    assert not made and [nb.path for nb in report.notebooks] == [str(p) for p in paths]
    assert 1 <= default_workers() <= 2


def test_a_failure_stops_the_workers_instead_of_grading_the_rest(tmp_path, monkeypatch):
    # an interrupt (Ctrl-C) takes the same way out as this: a display that fails on the first result
    paths = []
    for i in range(5):
        paths.append(tmp_path / f"{i}_02_math.ipynb")
        shutil.copy(SOLUTIONS / "02_math.ipynb", paths[-1])
    started, real_grade = [], Grader.grade
    monkeypatch.setattr(Grader, "grade", lambda grader, sub, only=None: started.append(sub.path)
                        or real_grade(grader, sub, only))

    heard = []

    def broken_display(result):          # fails once: the other worker would go on through the queue
        heard.append(result)
        if len(heard) == 1:
            raise RuntimeError("the display broke")

    with Grader() as first, pytest.raises(RuntimeError, match="the display broke"):
        grade_paths_concurrently(first, paths, workers=2, on_graded=broken_display)
    assert len(started) <= 3          # the two in flight when it failed, at most one more begun meanwhile
