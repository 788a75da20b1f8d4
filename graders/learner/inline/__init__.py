"""Checks, hints and solutions from inside a notebook.

The wiring cell at the top of an exercise notebook runs::

    from graders.learner.inline import connect
    check, hint, solution = connect("02_math")

``check("softmax")`` grades that exercise with the engine and sandbox of
``make grade`` (same points, same messages) on the code this kernel ran (see
:mod:`graders.engine.live`); ``check()`` grades the whole notebook. The kernel
keeps one :class:`~graders.engine.runner.Grader` (one warm sandbox parent) per module, so
only the first check pays the start-up. ``hint`` and ``solution`` read the check
spec and ``solutions/``; every call is recorded in the history. All three do
nothing inside the grading sandbox or nbgrader's autograder, where a check would
be pointless (and slow).
"""
from __future__ import annotations

import threading
from pathlib import Path

from .switch import disabled


def connect(module_id: str, notebook: str | Path | None = None):
    """``check, hint, solution = connect("02_math")``: the three functions for one notebook."""
    if disabled():
        def nothing(*args, **kwargs):
            return None
        return nothing, nothing, nothing
    from .session import InlineSession  # imported here: the no-op path above stays import-free

    session = InlineSession(module_id, notebook)
    threading.Thread(target=session.warm_up, name="mlkata-warm-up", daemon=True).start()
    return session.check, session.hint, session.solution
