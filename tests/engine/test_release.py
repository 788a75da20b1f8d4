"""exercises/ is generated from solutions/ by nbgrader's preprocessors, and stays in sync."""
from __future__ import annotations

import nbformat

from graders.engine.paths import EXERCISES, SOLUTIONS
from graders.engine.release import HIDDEN_MARKERS, expected_exercises, release_notebook, write_exercises


def test_every_exercise_notebook_is_what_its_source_generates():
    expected = expected_exercises()
    assert expected, "no source notebooks found"
    assert sorted(expected) == sorted(p.name for p in EXERCISES.glob("*.ipynb"))
    for name, text in expected.items():
        assert (EXERCISES / name).read_text(encoding="utf-8") == text, \
            f"exercises/{name} is out of date: run `make exercises`"


def test_released_notebooks_hold_no_solution_or_hidden_test():
    for path in SOLUTIONS.glob("*.ipynb"):
        with open(path, encoding="utf-8") as fh:
            source = nbformat.read(fh, as_version=4)
        released = release_notebook(source)
        text = nbformat.writes(released)
        for marker in HIDDEN_MARKERS:
            assert marker not in text
        answers = [c for c in released.cells if c.metadata.get("nbgrader", {}).get("solution")]
        assert answers and all("raise NotImplementedError()" in c.source for c in answers)
        assert released.metadata["mlkata"] == source.metadata["mlkata"]
        assert all(not c.get("outputs") for c in released.cells if c.cell_type == "code")


def test_regenerating_keeps_a_backup_of_learner_work(tmp_path):
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    (solutions / "02_math.ipynb").write_bytes((SOLUTIONS / "02_math.ipynb").read_bytes())
    assert write_exercises(solutions, exercises) == ["02_math.ipynb"]
    nb = nbformat.read(exercises / "02_math.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "softmax":
            cell.source = "def softmax(z, axis=-1):\n    return 'my work'\n"
    nbformat.write(nb, exercises / "02_math.ipynb")
    assert write_exercises(solutions, exercises) == ["02_math.ipynb"]
    backups = list((tmp_path / ".mlkata" / "backups").glob("02_math.*.ipynb"))
    assert len(backups) == 1 and "my work" in backups[0].read_text(encoding="utf-8")
    assert write_exercises(solutions, exercises) == []          # already in sync: nothing written


def test_engine_stubs_equal_nbgraders_release_of_every_source():
    """The engine builds fresh answer stubs without nbgrader (stub_source); they must be nbgrader's."""
    from graders.engine.live import released_submission
    from graders.engine.notebook import submission_from_notebook

    for path in sorted(SOLUTIONS.glob("*.ipynb")):
        with open(path, encoding="utf-8") as fh:
            by_nbgrader = submission_from_notebook(release_notebook(nbformat.read(fh, as_version=4)), path.name)
        ours = released_submission(path.stem)
        assert ours.answers == by_nbgrader.answers, path.name
        assert ours.setup == by_nbgrader.setup, path.name
