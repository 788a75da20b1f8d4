"""See ``graders/__init__.py``: the client's stand-in, nothing of the grader."""
