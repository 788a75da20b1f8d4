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


def test_tripwires_are_installed_once_in_the_parent_and_stay_inert_elsewhere():
    """The sandbox parent installs a sandbox's tripwires before forking it: later sandboxes inherit them
    instead of importing the blocked library again (13_xai's sklearn.inspection cost 1.9 s a notebook).
    A sandbox that blocks nothing sees them installed but never armed: its calls go through."""
    z = Zygote(["numpy"])                       # scipy.special is not preloaded: the tripwire imports it
    try:
        with Sandbox(z, blocks=("scipy.special.logsumexp", "nolib_mlkata_absent.fn")) as first:
            first.exec_cell("a", "x = 1", 10)
        with Sandbox(z) as second:
            second.exec_cell("probe", "import sys\nloaded = 'scipy.special' in sys.modules\n"
                                      "from scipy.special import logsumexp\n"
                                      "wired = getattr(logsumexp, '__mlkata_tripwire__', False)\n"
                                      "def look():\n    return [loaded, wired, float(logsumexp([0.0, 0.0]))]\n", 10)
            seen = second.probe(call_each, ("look", [((), {})]), timeout=10).value[0]["value"]
        assert seen[:2] == [True, True]
        assert seen[2] == pytest.approx(0.6931471805599453)
    finally:
        z.close()
