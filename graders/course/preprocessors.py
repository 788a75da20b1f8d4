"""Kept for nbgrader configs already in instructors' hands (``from graders.course.preprocessors import
GradeWithMlkata, StripHiddenTests``): the code lives in :mod:`graders.instructor.preprocessors`."""
from graders.instructor.preprocessors import GradeWithMlkata, StripHiddenTests

__all__ = ["GradeWithMlkata", "StripHiddenTests"]
