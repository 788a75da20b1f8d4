"""02_math graders: reference, stub, the bank of mistakes and the correct alternatives."""
from __future__ import annotations

from banks import ModuleGraderSuite

MODULE = "02_math"


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE
