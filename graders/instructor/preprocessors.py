"""nbgrader preprocessors that put mlkata's engine inside ``nbgrader autograde``.

``GradeWithMlkata`` replaces nbgrader's ``Execute``: instead of running the whole
submission in a Jupyter kernel (where one endless loop that ignores SIGINT costs
the student the whole assignment, and any stderr output zeroes a cell), it grades
the notebook in mlkata's sandbox and writes, into each graded cell, the learner
feedback as stdout and the exercise's points as the cell's single numeric result,
which nbgrader's ``SaveAutoGrades`` records as partial credit.

``StripHiddenTests`` runs in ``generate_feedback`` so the returned HTML never shows
the hidden block (nbgrader shows it by default).
"""
from __future__ import annotations

from nbformat.v4 import new_output
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor

from graders.engine.notebook import nbgrader_meta, submission_from_notebook
from graders.engine.runner import warm_grader
from graders.engine.trust import untrusted_grading


def graded_cells(nb):
    """(exercise id, cell) for each nbgrader-graded test cell named test_<exercise>."""
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        grade_id = str(meta.get("grade_id", ""))
        if cell.cell_type == "code" and meta.get("grade") and grade_id.startswith("test_"):
            yield grade_id[len("test_"):], cell


def feedback_text(ex) -> str:
    head = f"{ex.id}: {ex.points:g}/{ex.max_points:g} points ({ex.status.public.replace('_', ' ')})"
    return "\n".join([head, *(f"- {line}" for line in ex.feedback)]) + "\n"


class GradeWithMlkata(NbGraderPreprocessor):
    """Grade with mlkata's sandbox and write scores where nbgrader reads them."""

    def preprocess(self, nb, resources):
        path = resources.get("metadata", {}).get("path", "") + "/" + resources.get("unique_key", "notebook")
        submission = submission_from_notebook(nb, path)
        # one warm grader per module for the whole nbgrader run: heavy imports once for the class
        with untrusted_grading():            # a class's submissions: other people's code
            result = warm_grader(submission.module or "").grade(submission)
        by_id = {ex.id: ex for ex in result.exercises}
        for exercise_id, cell in graded_cells(nb):
            ex = by_id.get(exercise_id)
            if ex is None:
                why = result.error or f"no grader for exercise {exercise_id!r}"
                text, points = f"{exercise_id}: not graded: {why}\n", 0.0
            else:
                text, points = feedback_text(ex), ex.points
            cell.outputs = [new_output("stream", name="stdout", text=text),
                            new_output("execute_result", data={"text/plain": repr(float(points))},
                                       execution_count=None)]
        return nb, resources


class StripHiddenTests(ClearHiddenTests):
    """ClearHiddenTests for feedback: drops the hidden block, keeps our outputs."""
