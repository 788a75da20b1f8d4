"""13_xai graders: reference, stub, the banks, and the module's own promises: the grading-side references agree
with the libraries the syllabus names (shap for exact Shapley values, captum, sklearn, fairlearn), every syllabus
catch is named by a bank answer, and the sandbox-side helpers know no expected value."""
from __future__ import annotations

import numpy as np
import pytest
from banks import ModuleGraderSuite, bank, graded_in_fresh_processes

from graders.engine.registry import load

MODULE = "13_xai"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


SYLLABUS_CATCHES = {   # every "catch" of the syllabus, by the id the grader gives it
    "permutation_importance": {"column-not-restored", "sign-reversed", "one-permutation", "seed-ignored"},
    "exact_shapley": {"mean-background", "uniform-weights", "subset-size-off-by-one", "mean-base-value"},
    "partial_dependence": {"pd-at-mean-row", "mutates-input", "ice-transposed", "own-grid"},
    "integrated_gradients": {"no-delta", "sum-over-classes", "linspace-endpoints", "stale-grad"},
    "grad_cam": {"no-spatial-mean", "no-relu", "hooks-left", "wrong-class"},
    "counterfactual_linear": {"l2-step", "immutable-changed", "bounds-ignored", "valid-moved", "short-of-margin"},
    "mdi_importance": {"decrease-not-weighted", "not-normalised", "counting-splits", "sample-weights-ignored"},
    "fairness_report": {"equal-opportunity", "rate-from-labels", "first-two-groups", "ratio-inverted"},
}
BLOCKED = {"permutation_importance", "exact_shapley", "partial_dependence", "integrated_gradients", "grad_cam",
           "fairness_report"}


def test_every_syllabus_catch_is_in_the_bank():
    by_exercise: dict[str, set[str]] = {}
    for entry in bank(MODULE, "mistakes"):
        by_exercise.setdefault(entry.exercise, set()).add(entry.mistake)
    for exercise, catches in SYLLABUS_CATCHES.items():
        missing = catches - by_exercise.get(exercise, set())
        assert not missing, f"{exercise}: no bank answer for {sorted(missing)}"
        if exercise in BLOCKED:
            assert "blocked-call" in by_exercise[exercise], f"{exercise}: no bank answer calling the blocked library"


def test_exercises_are_in_syllabus_order():
    assert [ex.id for ex in SPEC.exercises] == list(SYLLABUS_CATCHES)


def test_shapley_reference_matches_shap_exact_explainer():
    shap = pytest.importorskip("shap")
    from graders.modules.m13_xai.shapley import _cases, exact_shapley_ref

    for case in _cases()[:3]:
        f, x, bg = case.args
        explainer = shap.explainers.Exact(f, shap.maskers.Independent(bg, max_samples=len(bg)))
        got = explainer(x[None]).values[0]
        np.testing.assert_allclose(exact_shapley_ref(f, x, bg), got, rtol=1e-6, atol=1e-9)
        assert np.isclose(exact_shapley_ref(f, x, bg).sum(), f(x[None])[0] - f(bg).mean())


def test_counterfactual_optimum_is_the_greedy_cost():
    from graders.modules.m13_xai.counterfactual import _cases, optimal_cost

    case = _cases()[0]
    w, b, x, lo, hi = case.args
    gap, cost = -(w @ x + b), 0.0
    for i in np.argsort(-np.abs(w)):
        room = hi[i] - x[i] if w[i] > 0 else x[i] - lo[i]
        step = min(gap / abs(w[i]), room)
        cost, gap = cost + step, gap - abs(w[i]) * step
    assert np.isclose(optimal_cost(*case.args), cost, rtol=1e-7)
    assert optimal_cost(*_cases()[3].args) is None         # the unreachable margin


def test_integrated_gradients_reference_is_complete():
    torch = pytest.importorskip("torch")
    from graders.modules.m13_xai.gradients import _ig_cases, integrated_gradients_ref

    model, x, baseline, target = _ig_cases("random")[0].args
    att = integrated_gradients_ref(model, x, baseline, target, n_steps=400)
    gap = (model(x) - model(baseline))[:, target].detach()
    assert torch.allclose(att.sum(dim=1), gap, atol=1e-3)


def test_mdi_manual_rule_matches_sklearn():
    from graders.modules.m13_xai.mdi import _cases, _combine, _norm, _raw, mdi_ref

    for case in _cases():
        (tree,) = case.args
        np.testing.assert_allclose(_combine(tree, lambda t: _norm(_raw(t))), mdi_ref(tree), rtol=1e-9, atol=1e-12)


def test_fairness_manual_rule_matches_fairlearn():
    from graders.modules.m13_xai.fairness import _cases, _manual, compare_report, fairness_ref

    for case in _cases():
        assert compare_report(_manual(*case.args), fairness_ref(*case.args)) is None


def test_sandbox_helpers_import_no_oracle():
    import ast
    from pathlib import Path

    import graders.modules.m13_xai as pkg

    for name in ("helpers.py", "sandbox_torch.py"):
        tree = ast.parse((Path(pkg.__file__).parent / name).read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names} | \
                   {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(m.split(".")[0] in {"shap", "captum", "fairlearn", "sklearn", "scipy"} for m in imported), \
            (name, imported)
        assert not any(n.level for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)), name


def test_a_later_grading_process_or_one_after_warm_imports_none_of_the_oracles_libraries(tmp_path):
    """captum, scikit-learn, fairlearn and scipy's oracles (and mdi's fitted trees) keep their outputs per case
    (engine/kept_values.py), torch networks among their arguments: the first grade imports those libraries, a
    later one finds every output kept, imports none of them and gives the same points and named mistakes (the
    variants that name them use no library); after `mlkata warm` (13's warm_up) even the first grade imports
    none. torch stays: the cases are torch networks and tensors."""
    from graders.modules.m13_xai import spec

    runs = graded_in_fresh_processes(
        MODULE, ("grad_cam__predicted_class", "integrated_gradients__linspace", "partial_dependence__mean_row",
                 "permutation_importance__sign_reversed", "fairness_report__ratio_inverted",
                 "counterfactual_linear__l2_step", "mdi_importance__not_normalised"),
        tmp_path, ("sklearn", "captum", "fairlearn", "scipy"))
    assert runs.grades[0] == runs.grades[1] == runs.grades[2]
    assert runs.named == {
        "grad_cam": ["wrong-class"], "integrated_gradients": ["linspace-endpoints"],
        "partial_dependence": ["pd-at-mean-row"], "permutation_importance": ["sign-reversed"],
        "fairness_report": ["ratio-inverted"], "counterfactual_linear": ["l2-step"],
        "mdi_importance": ["not-normalised"]}
    assert runs.imported == (["sklearn", "captum", "fairlearn", "scipy"], [], [])
    assert "oracles kept" in runs.warmed and SPEC.warm_up is spec.keep_oracle_outputs
    tables = {"integrated-gradients", "grad-cam", "partial-dependence", "permutation-importance", "fairness",
              "counterfactual", "mdi-fits"}
    assert runs.tables(MODULE) == sorted(tables)
