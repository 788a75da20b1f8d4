"""Whose code is being graded: a learner's own notebook, or a class's submissions.

A learner grading their own notebook (`mlkata grade`, `check()`) has nothing to steal. A class
(`grade-batch`, the nbgrader course's autograde) grades other people's code, so every submission
is untrusted. The instructor's entry points grade inside :func:`untrusted_grading`; a check that
cannot yet keep such code inside the box (one that hands learner code a service running outside
it) asks :func:`grading_untrusted` in its ``Check.requires`` and is skipped, with its reason.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

UNTRUSTED_ENV = "MLKATA_UNTRUSTED"


def grading_untrusted() -> bool:
    """True while a class's submissions are graded (set by the instructor's entry points)."""
    return os.environ.get(UNTRUSTED_ENV) == "1"


@contextmanager
def untrusted_grading() -> Iterator[None]:
    """Grade the block's submissions as untrusted code; the previous setting comes back afterwards."""
    before = os.environ.get(UNTRUSTED_ENV)
    os.environ[UNTRUSTED_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(UNTRUSTED_ENV, None)
        else:
            os.environ[UNTRUSTED_ENV] = before
