"""Kept for source notebooks and courses already built, whose hidden-test cells run
``from graders.hidden import score``: the code lives in :mod:`graders.instructor.score_cell`."""
from graders.instructor.score_cell import score

__all__ = ["score"]
