"""Renderers of grading results: each takes a GradeReport and returns or prints text."""
