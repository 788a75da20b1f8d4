"""Tripwires: blocked functions work until their exercise is probed, then refuse and report."""
from __future__ import annotations

import pytest

from graders.engine.sandbox import Sandbox, Zygote
from graders.engine.sandbox.probes import call_each


@pytest.fixture(scope="module")
def sandbox():
    z = Zygote(["numpy", "scipy.special", "scipy.stats", "sklearn.decomposition"])
    blocks = ("scipy.special.logsumexp", "sklearn.decomposition", "scipy.stats.norm.logpdf")
    with Sandbox(z, blocks=blocks) as sb:
        sb.exec_cell("setup", "import numpy as np\nfrom scipy.special import logsumexp as captured\n"
                              "import scipy.stats\nfrom sklearn.decomposition import PCA\n"
                              "def lse(z):\n    return captured(z)\n"
                              "def pca_fit(X):\n    return PCA(1).fit(X).components_\n"
                              "def params():\n    return sorted(PCA().get_params())[:2]\n"
                              "def frozen(x):\n    return scipy.stats.norm(0, 1).logpdf(x)\n", 10)
        yield sb
    z.close()


def run(sb, name, args, blocked):
    return sb.probe(call_each, (name, [(args, {})]), timeout=10, blocked=blocked)


def test_references_captured_before_arming_still_trip(sandbox):
    import numpy as np

    assert run(sandbox, "lse", (np.zeros(3),), ()).blocked == ()
    armed = run(sandbox, "lse", (np.zeros(3),), ("scipy.special.logsumexp",))
    assert armed.blocked == ("scipy.special.logsumexp",)
    assert armed.value[0]["error"]["type"] == "BlockedCall"


def test_whole_modules_and_object_methods_can_be_blocked(sandbox):
    import numpy as np

    X = np.random.default_rng(0).normal(size=(10, 3))
    assert run(sandbox, "pca_fit", (X,), ()).value[0]["value"].shape == (1, 3)
    assert run(sandbox, "pca_fit", (X,), ("sklearn.decomposition",)).blocked == ("sklearn.decomposition",)
    assert run(sandbox, "frozen", (0.0,), ("scipy.stats.norm.logpdf",)).blocked == ("scipy.stats.norm.logpdf",)


def test_wrapped_estimators_keep_the_signature_sklearn_introspects(sandbox):
    assert run(sandbox, "params", (), ()).value[0]["value"] == ["copy", "iterated_power"]


LATE = ("scipy.signal.convolve", "sklearn.decomposition", "nolib_mlkata_absent.fn")


@pytest.fixture(scope="module")
def late_zygote():
    z = Zygote(["numpy", "sklearn.base"])      # neither scipy.signal nor sklearn.decomposition loaded
    yield z
    z.close()


def look(sb, source):
    sb.exec_cell("look", f"def look():\n    return {source}\n", 10)
    return sb.probe(call_each, ("look", [((), {})]), timeout=10).value[0]["value"]


def test_blocking_a_library_does_not_import_it_and_its_tripwires_wire_when_the_learner_does(late_zygote):
    """A library the sandbox parent has not loaded is not imported to block it (13_xai's shap and captum
    cost a second a notebook that way); the learner's own import loads it with its tripwires in place, so a
    reference captured in a cell, unarmed, still trips in the exercise that blocks it."""
    with Sandbox(late_zygote, blocks=LATE) as sb:
        sb.exec_cell("before", "import sys\nloaded_before = sorted(m for m in ('scipy.signal', "
                               "'sklearn.decomposition') if m in sys.modules)\n", 10)
        assert look(sb, "loaded_before") == []
        sb.exec_cell("imports", "from scipy.signal import convolve as captured\n"
                                "from sklearn.decomposition import PCA\n"
                                "def conv(a):\n    return captured(a, [1.0, 1.0])\n"
                                "def pca_fit(X):\n    return PCA(1).fit(X).components_\n", 10)
        import numpy as np

        assert list(run(sb, "conv", (np.array([1.0, 2.0]),), ()).value[0]["value"]) == [1.0, 3.0, 2.0]
        armed = run(sb, "conv", (np.array([1.0, 2.0]),), ("scipy.signal.convolve",))
        assert armed.blocked == ("scipy.signal.convolve",)
        X = np.random.default_rng(0).normal(size=(10, 3))
        assert run(sb, "pca_fit", (X,), ()).value[0]["value"].shape == (1, 3)
        assert run(sb, "pca_fit", (X,), ("sklearn.decomposition",)).blocked == ("sklearn.decomposition",)
        # the modules name their own loaders: nothing of the import hook stays on them
        assert look(sb, "[type(sys.modules[m].__loader__).__name__ for m in ('scipy.signal', "
                        "'sklearn.decomposition')]") == ["SourceFileLoader", "SourceFileLoader"]


def test_a_library_first_imported_inside_the_blocked_exercise_trips_or_is_refused(late_zygote):
    with Sandbox(late_zygote, blocks=LATE) as sb:
        sb.exec_cell("late", "def conv(a):\n    from scipy.signal import convolve\n    return convolve(a, [1.0])\n"
                             "def pca_fit(X):\n    from sklearn.decomposition import PCA\n"
                             "    return PCA(1).fit(X).components_\n", 10)
        import numpy as np

        assert run(sb, "conv", (np.ones(2),), ("scipy.signal.convolve",)).blocked == ("scipy.signal.convolve",)
        refused = run(sb, "pca_fit", (np.eye(3),), ("sklearn.decomposition",))
        assert refused.blocked == ("sklearn.decomposition",)
        assert "importing sklearn.decomposition is off limits" in refused.value[0]["error"]["message"]


def test_tripwires_stay_inert_in_a_sandbox_that_blocks_nothing(late_zygote):
    """The parent wires a blocked library for every later sandbox (a batch of several modules shares it): one
    that blocks nothing finds the tripwire in place when it imports the library, and its calls go through."""
    with Sandbox(late_zygote, blocks=LATE) as first:
        first.exec_cell("a", "x = 1", 10)
    with Sandbox(late_zygote) as second:
        second.exec_cell("probe", "from scipy.signal import convolve\n", 10)
        wired, value = look(second, "[getattr(convolve, '__mlkata_tripwire__', False), "
                                    "[float(v) for v in convolve([1.0, 2.0], [1.0, 1.0])]]")
    assert wired is True
    assert value == [1.0, 3.0, 2.0]
