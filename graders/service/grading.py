"""One submission's grading: the single function the in-process pool and the Celery task both call.

The answer arrives either as answer cells (``{grade_id: source}``, what ``check()`` sends) or as a whole
nbformat notebook. Cells are laid over the released notebook of the module (its locked setup cells and
stubs, :func:`graders.engine.live.released_submission`), so they grade exactly like a saved notebook
holding the same cells under ``mlkata grade``: same engine, same sandbox, same box.
"""
from __future__ import annotations

import json

from graders.engine.live import released_submission, with_live_answers
from graders.engine.notebook import NotebookError, Submission, submission_from_notebook
from graders.engine.runner import Grader
from graders.engine.trust import untrusted_grading
from graders.render.json_report import notebook_dict

CRASH = "internal grader error"      # how the engine words a grading that broke down (not the student's fault)


class PayloadError(ValueError):
    """The payload cannot be graded (the API answers 422 with this message; nothing is stored)."""


def submission_of(module_id: str, cells: dict[str, str] | None, notebook: dict | None) -> Submission:
    """The Submission a payload stands for; raises PayloadError for a malformed one."""
    if (cells is None) == (notebook is None):
        raise PayloadError("send either `cells` ({grade_id: source}) or `notebook` (nbformat JSON), not both")
    if notebook is not None:
        sub = read_notebook_payload(notebook, f"{module_id}.ipynb")
        if sub.module != module_id:
            raise PayloadError(f"the notebook is for module {sub.module!r}, not {module_id!r}")
        return sub
    base = released_submission(module_id)
    known = {gid for gid, _ in base.answers}
    unknown = sorted(set(cells) - known)
    if unknown:
        raise PayloadError(f"{module_id} has no answer cell {unknown[0]!r}; answer cells: {', '.join(sorted(known))}")
    return with_live_answers(base, cells)


def read_notebook_payload(notebook: dict, name: str) -> Submission:
    """nbformat's reader (as ``mlkata grade`` reads a file), with errors the student can act on."""
    import nbformat

    try:
        nb = nbformat.reads(json.dumps(notebook), as_version=4)
        nbformat.validate(nb)
        return submission_from_notebook(nb, name)
    except NotebookError as exc:
        raise PayloadError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for malformed notebooks
        raise PayloadError(f"not a valid notebook: {str(exc).splitlines()[0][:300]}") from None


def grade_payload(module_id: str, cells: dict[str, str] | None = None, notebook: dict | None = None,
                  exercise: str | None = None, grader: Grader | None = None) -> dict:
    """Grade one payload; the JSON report of ``mlkata grade --json`` for that notebook.

    With ``grader`` (a worker's warm one) the caller has already marked the process as grading untrusted
    code; without, a Grader is made for this call and closed after it."""
    sub = submission_of(module_id, cells, notebook)
    only = None if exercise is None else [exercise]
    if grader is not None:
        return notebook_dict(grader.grade(sub, only=only))
    with untrusted_grading(), Grader() as own:
        return notebook_dict(own.grade(sub, only=only))
