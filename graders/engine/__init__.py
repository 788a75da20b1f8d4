"""The grading engine: specs, judges, comparators, probes, batteries, results, the runner and the sandbox.

It imports nothing from the learner's tools, the instructor's path, the renderers or the
modules (``tests/test_layers.py`` enforces it); modules are found by convention through
:mod:`graders.engine.registry`.
"""
