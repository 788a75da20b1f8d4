"""mlkata-client's stand-in for the grader package: only ``graders.learner.inline.connect`` exists here, so
the released notebooks' wiring cell (``from graders.learner.inline import connect``) reaches the server."""
