"""02_math graders: reference, stub, the bank of mistakes and the correct alternatives."""
from __future__ import annotations

from banks import ModuleGraderSuite, graded_in_fresh_processes

from graders.engine.registry import load

MODULE = "02_math"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


def test_after_warm_the_bootstrap_reference_resamples_nothing_and_scipy_is_not_imported(tmp_path):
    """The bootstrap reference's intervals (50,000 resamples of a case) and the scipy oracles' outputs (softmax,
    logsumexp, the Gaussian log-likelihood, Welch's test) are kept per case (engine/kept_values.py): the first
    grade on a machine resamples every hidden sample and imports scipy, a later one and one after `mlkata warm`
    (02's warm_up) neither, and all give the same points and named mistakes. (A wrong answer still computes
    what the search proposes while it shrinks a failing generated case, and imports scipy for it.)"""
    from graders.modules.m02_math import spec

    resampled = "len(__import__('graders.modules.m02_math.stats', fromlist=['_REF_CACHE'])._REF_CACHE)"
    libraries = ("scipy", "scipy.special", "scipy.stats")
    runs = graded_in_fresh_processes(MODULE, ("bootstrap_ci__seed_ignored",), tmp_path, libraries, also=resampled)
    assert runs.grades[0] == runs.grades[1] == runs.grades[2]
    assert runs.named == {"bootstrap_ci": ["seed-ignored"]}
    assert runs.also[0] > 0 and runs.also[1:] == (0, 0)
    assert runs.imported == (list(libraries), [], [])
    assert "outputs of the bootstrap reference and the scipy oracles kept" in runs.warmed
    assert SPEC.warm_up is spec.keep_oracle_outputs
    tables = {"bootstrap-interval", "softmax", "logsumexp", "gaussian-loglik", "welch"}
    assert runs.tables(MODULE) == sorted(tables)
