"""The instructor's path: the nbgrader course (build, preprocessors, hidden-test cells), wiring of source
notebooks, and batch grading of a class.

Built on the engine; never imports the learner's tools. nbgrader is imported only here (and by
:mod:`graders.engine.release`, lazily, when a source notebook is released).
"""
