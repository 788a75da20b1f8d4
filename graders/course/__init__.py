"""Kept for nbgrader course configs already written by ``make course``, which import
``graders.course.preprocessors``: the code lives in :mod:`graders.instructor`."""
