"""Module specs, one package per curriculum module (see docs/AUTHORING.md).

Convention: ``graders/modules/m<id>/spec.py`` defines ``MODULE`` (checks, oracles,
judges: grading process only) and an optional ``helpers.py`` holds what runs in
the sandbox (functions handed to learner code, custom probes). The engine finds a
module by the id in a notebook's metadata ("02_math" -> ``m02_math``) through
:mod:`graders.engine.registry`; it never names one.
"""
