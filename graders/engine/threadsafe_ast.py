"""``ast.parse`` called from two grading threads at once, made safe on the Pythons where it is not.

CPython 3.11.0-3.11.7 and 3.12.0-3.12.1 count the depth of the tree ``ast.parse`` builds in one counter per
interpreter (CPython issue gh-106905, fixed in 3.11.8 and 3.12.2): when the garbage collector runs Python
code in the middle of one thread's parse and another thread parses meanwhile, the first fails with
``SystemError: AST constructor recursion depth mismatch``. The grading process parses from several threads
at once: the answer cells (``runner.uses_grader_internals``, static judges, ``live.py``) and, inside the
libraries it uses, hypothesis and the traceback module; its threads are a notebook's two exercises
(``parallel.py``), a course's notebooks (``concurrent.py``) and a class's workers
(``graders/instructor/batch.py``). On 3.11.7, one submission of a class of 12 (``grade-batch``, two workers)
came back as an internal grader error with it.

So on those versions (and on any older one: the project allows 3.10, and whether a 3.10 bugfix release got
the counter is not worth guessing) ``ast.parse`` takes turns: one lock, re-entrant because a collector's
callback may itself parse. An uncontended lock costs nanoseconds against a parse's milliseconds. Only
processes that grade install it (``Grader``); the sandbox, where learner code runs, keeps the library as it is.
"""
from __future__ import annotations

import ast
import functools
import sys
import threading

AFFECTED = sys.version_info < (3, 11, 8) or (3, 12) <= sys.version_info < (3, 12, 2)
_installing = threading.Lock()


def install() -> None:
    """Make ``ast.parse`` take turns between threads, once per process, where this Python needs it."""
    with _installing:
        if not AFFECTED or getattr(ast.parse, "takes_turns", False):
            return
        parse, turn = ast.parse, threading.RLock()

        @functools.wraps(parse)
        def parse_in_turn(*args, **kwargs):
            with turn:
                return parse(*args, **kwargs)

        parse_in_turn.takes_turns = True
        ast.parse = parse_in_turn
