"""The instructor's path: an nbgrader course built from the same sources and graded by the same engine."""
