"""Module specs, one package per curriculum module (see docs/AUTHORING.md).

Convention: ``graders/modules/m<id>/spec.py`` defines ``MODULE`` (checks, oracles,
judges: grading process only) and an optional ``helpers.py`` holds what runs in
the sandbox (functions handed to learner code, custom probes). The sandbox-side
files are exactly the names of this package that ``MODULE.preload`` lists: the box
shows learner code only those (and the package ``__init__.py`` files, kept free of
imports), they import only ``graders.engine.sandbox`` and each other
(``tests/test_layers.py``), and they hold no oracle, reference or expected value.
A speed budget's reference lives on the spec side (e.g. ``yardsticks.py``). The engine finds a
module by the id in a notebook's metadata ("02_math" -> ``m02_math``) through
:mod:`graders.engine.registry`; it never names one.
"""
