"""When inline checks must do nothing: a module of its own, so every part of the package can ask."""
from __future__ import annotations

import os


def disabled() -> bool:
    """Inside the sandbox (a learner called check() in an answer cell) or nbgrader's autograder."""
    return bool(os.environ.get("MLKATA_SANDBOX") or os.environ.get("NBGRADER_EXECUTION"))
