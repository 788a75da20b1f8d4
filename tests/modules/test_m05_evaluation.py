"""05_evaluation graders: reference, stub, the bank of mistakes and the correct alternatives."""
from __future__ import annotations

import numpy as np
import pytest
from banks import ModuleGraderSuite, bank, graded_in_fresh_processes, written_tables

from graders.engine.notebook import nbgrader_meta
from graders.engine.registry import load

MODULE = "05_evaluation"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


SYLLABUS_CATCHES = {
    # the "catch" lists of the syllabus (and the issue), each must be in the mistake bank
    "precision_recall_f1": {"macro-micro-swapped", "nan-on-empty-class"},
    "roc_curve": {"ties-split", "missing-origin", "auc-ties-arbitrary"},
    "average_precision": {"trapezoidal", "ap-ties-arbitrary"},
    "regression_report": {"r2-uncentred"},
    "stratified_kfold": {"overlapping-folds", "unstratified", "future-rows"},
    "cross_val_score": {"reused-model", "preprocessing-on-all-data"},
    "expected_calibration_error": {"bins-unweighted", "prob-one-dropped"},
    "psi": {"bins-from-actual", "log-of-zero"},
    "DriftMonitor": {"no-correction", "rolling-reference"},
    "paired_bootstrap_diff": {"independent-resampling"},
}


@pytest.mark.parametrize("exercise", sorted(SYLLABUS_CATCHES))
def test_every_listed_mistake_is_in_the_bank(exercise):
    named = {e.mistake for e in bank(MODULE, "mistakes") if e.exercise == exercise}
    assert SYLLABUS_CATCHES[exercise] <= named, SYLLABUS_CATCHES[exercise] - named


# ------------------------------------------------------------------ module-specific
def test_every_syllabus_name_has_its_signature():
    import inspect

    from banks import solution_notebook

    ns: dict = {}
    for cell in solution_notebook(MODULE).cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and (meta.get("solution") or "setup" in cell.metadata.get("tags", [])):
            exec(cell.source, ns)
    wanted = {
        "confusion_matrix": "(y_true, y_pred, labels=None)",
        "precision_recall_f1": "(y_true, y_pred, average='binary', pos_label=1, zero_division=0.0)",
        "roc_curve": "(y_true, scores)", "roc_auc": "(y_true, scores)",
        "average_precision": "(y_true, scores)", "regression_report": "(y_true, y_pred)",
        "stratified_kfold": "(y, n_splits=5, shuffle=True, seed=0)", "time_series_split": "(n, n_splits, gap=0)",
        "cross_val_score": "(make_model, X, y, cv, scorer)",
        "expected_calibration_error": "(y_true, prob, n_bins=10)", "brier_score": "(y_true, prob)",
        "cost_optimal_threshold": "(y_true, scores, cost_fp, cost_fn)", "psi": "(expected, actual, n_bins=10)",
        "ks_drift": "(ref, cur, alpha=0.05)", "DriftMonitor": "(reference_df, alpha)",
        "paired_bootstrap_diff": "(y_true, pred_a, pred_b, metric, n_boot=1000, seed=0)",
    }
    for name, signature in wanted.items():
        assert str(inspect.signature(ns[name])) == signature, name


def test_model_factory_records_fits_and_scores():
    from graders.modules.m05_evaluation.helpers import LOG, ModelFactory, accuracy_scorer, reset_log

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 3)), np.repeat([0, 1], 10)
    make_model = ModelFactory(X, y)
    reset_log()
    model = make_model().fit(X[5:], y[5:])
    accuracy_scorer(model, X[:5].astype(np.float32), y[:5])
    scaled = (X - X.mean(0)) / X.std(0)
    make_model().fit(scaled[:10], y[:10])
    assert LOG[0] == ("fit", 1, list(range(5, 20)), None, True)
    assert LOG[1] == ("score", 1, list(range(5)), None, True)           # float32 rows are still recognised
    assert LOG[2][:2] == ("fit", 2) and LOG[2][3] == "standardised"      # global scaling is named
    reset_log()


def test_psi_accepts_every_quantile_convention_and_rejects_bins_from_actual():
    from graders.modules.m05_evaluation.drift import _bins_from_actual, _psi_cases, psi_family

    for case in _psi_cases()[:3]:
        family = psi_family(*case.args, **case.kwargs)
        assert family.max() - family.min() < 0.05 * family.max()          # conventions barely matter here
        for wrong in _bins_from_actual(*case.args, **case.kwargs):        # clearly outside the accepted range
            assert wrong < family.min() * (1 - 5e-3) or wrong > family.max() * (1 + 5e-3)


def test_drift_stream_is_informative():
    """The injected drift is found by the reference, and the drift-free stream separates the correction."""
    from graders.modules.m05_evaluation.monitor import _free_case, _numeric, _stream_case, stream_ref

    ref, alpha, batches = _stream_case().args
    flags = [{f for f, (_, _, d) in row.items() if d} for row in stream_ref(ref, alpha, batches)]
    assert flags[:3] == [set(), set(), set()] and flags[3] == {"income"} and flags[6] == {"income", "score", "clicks"}
    ref, alpha, batches = _free_case().args
    m = len(_numeric(ref))
    rows = stream_ref(ref, alpha, batches)
    assert sum(alpha / m <= p < alpha for row in rows for _, p, _ in row.values()) >= 3
    assert sum(any(d for _, _, d in row.values()) for row in rows) <= 3


def test_paired_and_independent_intervals_are_far_apart():
    from graders.modules.m05_evaluation.bootstrap import ENDPOINT_TOL, _interval, _interval_cases

    for case in _interval_cases():
        paired, independent = _interval(case), _interval(case, paired=False)
        width = paired[1] - paired[0]
        assert np.abs(paired - independent).max() > 3 * ENDPOINT_TOL * width


def test_ece_oracle_agrees_with_sklearn_calibration_curve():
    """Away from bin edges (where sklearn's calibration_curve puts a value in the lower bin), the pinned ECE is
    the count-weighted gap between calibration_curve's two outputs."""
    from sklearn.calibration import calibration_curve

    from graders.modules.m05_evaluation.calibration import _random_cases, ece_ref

    for case in _random_cases():
        (y, p), n_bins = case.args, case.kwargs["n_bins"]
        frac_pos, mean_prob = calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
        counts = np.histogram(p, bins=n_bins, range=(0, 1))[0]
        weights = counts[counts > 0] / len(p)
        assert np.isclose(np.sum(weights * np.abs(frac_pos - mean_prob)), ece_ref(y, p, n_bins), rtol=1e-12)


def test_a_later_grading_process_or_one_after_warm_imports_no_scikit_learn_or_scipy(tmp_path):
    """The oracles' outputs (scikit-learn's metrics and splitters, scipy's KS test), the correct loop's fold
    scores, the KS decision samples and the judges' own references (DriftMonitor's reports, the PSI family, the
    paired bootstrap's interval) are kept per case (engine/kept_values.py), and the recording models that need
    scikit-learn live in a sandbox-side file (models.py): the first grading process imports both libraries and
    writes every table, a later one or one after `mlkata warm` imports neither and writes none (it computed no
    reference), with the same points and named mistakes (mistakes
    whose generated check passes or names them without shrinking: the inputs a search tries while shrinking are
    computed afresh, and their libraries imported, in every grade, engine/search.py)."""
    from graders.modules.m05_evaluation import spec

    libraries = ("sklearn", "sklearn.metrics", "sklearn.model_selection", "sklearn.base", "scipy", "scipy.stats")
    before, written = written_tables(MODULE)
    runs = graded_in_fresh_processes(
        MODULE, ("ks_drift__inverted", "DriftMonitor__no_correction", "expected_calibration_error__unweighted"),
        tmp_path, libraries, also=written, before=before)
    assert runs.grades[0] == runs.grades[1] == runs.grades[2]
    assert runs.named == {"ks_drift": ["drift-inverted"], "DriftMonitor": ["no-correction"],
                          "expected_calibration_error": ["bins-unweighted"]}
    assert runs.imported == (list(libraries), [], [])
    assert "outputs of the scikit-learn and scipy oracles and the judges' references kept" in runs.warmed
    assert SPEC.warm_up is spec.keep_oracle_outputs
    tables = {"average-precision", "brier", "confusion", "prf", "roc-curve", "roc-auc", "regression-report",
              "time-series-split", "ks-2samp", "kfold", "cv-scores", "ks-decision-samples",
              # the judges' own references: DriftMonitor's reports, the PSI family, the paired bootstrap's interval
              "monitor-reports", "psi-family", "paired-bootstrap-interval"}
    assert runs.tables(MODULE) == sorted(tables)
    # the first grade computes (and writes) every table; a later one, or one after warm, finds every output
    assert runs.also == (sorted(f"{MODULE}-{name}" for name in tables), [], [])
