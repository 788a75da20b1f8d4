"""02_math graders: reference, stub, the bank of mistakes and the correct alternatives."""
from __future__ import annotations

from banks import ModuleGraderSuite, graded_in_fresh_processes

from graders.engine.registry import load

MODULE = "02_math"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


def test_after_warm_the_bootstrap_reference_resamples_nothing_in_the_grading_process(tmp_path):
    """The bootstrap reference's intervals (50,000 resamples of a case) are kept per case
    (engine/kept_values.py): the first grade on a machine resamples every hidden sample, a later one and one
    after `mlkata warm` (02's warm_up) resample none, and all give the same points and named mistakes. (A wrong
    interval still resamples the inputs the search proposes while it shrinks the failing generated case.)"""
    from graders.modules.m02_math import spec

    resampled = "len(__import__('graders.modules.m02_math.stats', fromlist=['_REF_CACHE'])._REF_CACHE)"
    runs = graded_in_fresh_processes(MODULE, ("bootstrap_ci__seed_ignored",), tmp_path, also=resampled)
    assert runs.grades[0] == runs.grades[1] == runs.grades[2]
    assert runs.named == {"bootstrap_ci": ["seed-ignored"]}
    assert runs.also[0] > 0 and runs.also[1:] == (0, 0)
    assert "bootstrap reference intervals kept" in runs.warmed and SPEC.warm_up is spec.keep_oracle_outputs
    assert len(runs.kept) == 1
