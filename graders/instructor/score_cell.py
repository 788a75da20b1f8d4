"""What a hidden-test cell runs: ``score("02_math", "softmax")``.

Used when a source notebook is executed in a Jupyter kernel (an instructor running
it, or nbgrader's default kernel execution): the exercise is graded by the same
engine and sandbox as ``make grade``, from the code this kernel ran, and the
points are returned, so the cell's single numeric output is the partial credit
nbgrader records. The course we build (``make course``) does not execute
submissions in a kernel at all (see ``graders.instructor.preprocessors``); this is
the fallback that keeps the two paths in agreement.
"""
from __future__ import annotations

import contextlib
import io
import os
import warnings


def score(module_id: str, exercise_id: str, inputs=None) -> float:
    """Grade one exercise from the kernel's executed cells; print the feedback, return the points."""
    if os.environ.get("MLKATA_SANDBOX"):
        return 0.0                               # never grade recursively from inside the sandbox
    from graders.engine import live
    from graders.engine.runner import warm_grader

    if inputs is None:
        from IPython import get_ipython

        shell = get_ipython()
        inputs = live.kernel_inputs(shell) if shell is not None else []
    submission = live.live_submission(live.released_submission(module_id), inputs, module_id)
    # nbgrader zeroes a graded cell with anything on stderr: library warnings must stay silent here
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        result = warm_grader(module_id).grade(submission, only=[exercise_id])
    if result.error or not result.exercises:
        print(f"{exercise_id}: not graded: {result.error or 'unknown exercise'}")
        return 0.0
    ex = result.exercises[0]
    print(f"{ex.id}: {ex.points:g}/{ex.max_points:g} points ({ex.status.public.replace('_', ' ')})")
    for line in ex.feedback:
        print(f"- {line}")
    return float(ex.points)
