"""06_deep_learning graders: reference, stub, the bank of mistakes and the correct alternatives,
plus the module's own promises: pinned threads, exact oracles, a hidden held-out split, a time budget."""
from __future__ import annotations

import numpy as np
import torch
from banks import ModuleGraderSuite, bank, graded_in_fresh_processes

from graders.engine.registry import load

MODULE = "06_deep_learning"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


SYLLABUS_CATCHES = {   # every "catch" of the syllabus, by the id the grader gives it
    "mlp_forward_backward": {"missing-1/N", "relu-grad", "transposed-weights"},
    "Linear": {"plain-tensors"},
    "MLP": {"dropout-in-eval"},
    "train_epoch": {"no-zero-grad", "unweighted-mean"},
    "evaluate": {"evaluate-train-mode"},
    "fit": {"state-dict-aliasing"},
    "save_checkpoint": {"optimizer-state-not-saved"},
    "conv2d": {"off-by-one", "flipped-kernel"},
    "BatchNorm1d": {"biased-running-var", "momentum-reversed"},
    "scaled_dot_product_attention": {"no-scaling", "mask-after-softmax"},
}


def test_every_syllabus_catch_is_in_the_bank():
    banked = {(e.exercise, e.mistake) for e in bank(MODULE, "mistakes")}
    for exercise, ids in SYLLABUS_CATCHES.items():
        for mistake in ids:
            assert (exercise, mistake) in banked, (exercise, mistake)


# ------------------------------------------------------------------ the module's own promises
def test_torch_is_preloaded_and_oracles_run_on_one_thread():
    from graders.modules.m06_deep_learning.common import pinned

    assert "torch" in SPEC.preload     # the zygote imports it, then pins it to one thread
    assert SPEC.preload.index("torch") < SPEC.preload.index("graders.modules.m06_deep_learning.helpers")
    seen = []

    @pinned
    def oracle():
        seen.append(torch.get_num_threads())

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        oracle()
        assert seen == [1], "oracles compute on one thread"
        assert torch.get_num_threads() == 2, "the caller's setting (maybe a learner's kernel) is restored"
    finally:
        torch.set_num_threads(before)


def test_instrumented_scenarios_are_identical_on_every_build():
    from graders.modules.m06_deep_learning import helpers

    spec = {"n": 37, "d": 6, "k": 4, "batch_size": 10, "optimizer": "adam"}
    first, second = helpers.build(spec), helpers.build(spec)
    for a, b in zip(first[0].state_dict().values(), second[0].state_dict().values()):
        assert torch.equal(a, b)
    sizes = [len(x) for x, _ in first[1]]
    assert sizes == [10, 10, 10, 7], "every training loader ends on a short batch"


def test_oracles_agree_with_their_manual_twins():
    """The mistake variants are switches on a manual version; with no switch it must equal the oracle."""
    from graders.modules.m06_deep_learning import attention, backprop, batchnorm

    for check in backprop.mlp_forward_backward.checks[:4]:
        for case in check.materialize():
            loss, grads = backprop.mlp_ref(*case.args)
            mloss, mgrads = backprop._manual(*case.args)
            assert np.isclose(loss, mloss, rtol=1e-4)
            for k in grads:
                assert np.allclose(grads[k], mgrads[k], rtol=1e-4, atol=1e-6), k
    for check in batchnorm.BatchNorm1d.checks:
        for case in check.materialize():
            case = batchnorm._as_bn_case(case) if check.search else case    # drawn: three batches, their modes
            for o, m in zip(batchnorm.oracle(*case.args), batchnorm.manual(*case.args)):
                assert np.allclose(o.numpy(), m, rtol=1e-4, atol=1e-4)
    from graders.modules.m06_deep_learning.helpers import as_tensors

    for check in attention.scaled_dot_product_attention.checks:
        for case in check.materialize():
            args, kwargs = as_tensors(case.args, case.kwargs)      # generated cases are drawn as numpy
            got = attention._manual(*args, kwargs.get("mask"), kwargs.get("causal", False))
            assert torch.allclose(got, attention.sdpa_ref(*args, **kwargs), rtol=1e-5, atol=1e-6)


def test_batchnorm_domain_leaves_out_what_nn_refuses_or_rounding_decides():
    """One-row batches in train mode (nn.BatchNorm1d raises) and near-constant features far from 0 (the output
    is the rounding error of the mean) are outside the domain; one row in eval mode and constant features
    near 0 are inside."""
    from graders.modules.m06_deep_learning.batchnorm import BN_DOMAIN

    train_train_eval = ("train", "train", "eval")
    row = np.ones((1, 2), np.float32)
    rows = np.array([[0.5, 1.0], [-0.5, 1.0]], np.float32)          # the second feature constant, near 0
    assert BN_DOMAIN.admits((rows, rows, row, train_train_eval), {})
    assert not BN_DOMAIN.admits((row, rows, rows, train_train_eval), {})
    assert BN_DOMAIN.admits((rows, row, row, ("train", "eval", "eval")), {})
    spread = np.array([[100.5, 99.0], [99.5, 101.0]], np.float32)  # far from 0, spread well above rounding
    assert BN_DOMAIN.admits((spread, rows, rows, train_train_eval), {})
    assert not BN_DOMAIN.admits((rows + np.float32(100.0), rows, rows, train_train_eval), {})


def test_held_out_digits_stay_in_the_grading_process():
    from graders.modules.m06_deep_learning import digits

    X_train, y_train, X_test, y_test = digits.split()
    assert X_train.dtype == np.float32 and X_train.shape[1:] == (1, 8, 8) and 0 <= X_train.min() <= X_train.max() <= 1
    assert len(X_test) == len(y_test) == 450 and len(X_train) + len(X_test) == 1797
    assert np.bincount(y_test).min() >= 40, "stratified: every digit is held out"
    check = digits.train_digits.checks[-1]
    sent = check.args_for("train_digits", check.materialize())
    assert not any(a is y_test for a in sent), "the held-out labels must never enter the sandbox"


def test_the_digits_are_read_with_scikit_learn_once_per_machine(tmp_path):
    """The digits train_digits is graded on are kept (engine/kept_values.py): the first grade on a machine reads
    them with scikit-learn, a later one and one after `mlkata warm` (06's warm_up) import no scikit-learn, and
    all give the same points and named mistakes."""
    from graders.modules.m06_deep_learning import digits

    runs = graded_in_fresh_processes(
        MODULE, ("train_digits__wrong_output", "train_epoch__last_loss"), tmp_path, ("sklearn",))
    assert runs.grades[0] == runs.grades[1] == runs.grades[2]
    assert runs.named == {"train_digits": ["output-shape"], "train_epoch": ["last-batch"]}
    assert runs.imported == (["sklearn"], [], [])
    assert "1797 digits kept" in runs.warmed and SPEC.warm_up is digits.keep_digits and len(runs.kept) == 1
