"""Kept for notebooks already in learners' hands, whose first cell runs
``from graders.inline import connect``: the code lives in :mod:`graders.learner.inline`."""
from graders.learner.inline import connect, disabled

__all__ = ["connect", "disabled"]
