"""The 05_evaluation module: its exercises in notebook order."""
from graders.engine.kept_values import keep_outputs
from graders.engine.spec import Module

from . import bootstrap, crossval, drift, ks, monitor
from .ap import average_precision
from .bootstrap import paired_bootstrap_diff
from .calibration import expected_calibration_error
from .confusion import confusion_matrix
from .crossval import cross_val_score
from .drift import psi
from .ks import ks_drift
from .monitor import DriftMonitor
from .prf import precision_recall_f1
from .ranking import roc_curve
from .regression import regression_report
from .splits import stratified_kfold
from .threshold import cost_optimal_threshold

# the judges that name their kept oracles (the others are ``returns`` judges: found on the judge itself)
KEPT = {**bootstrap.KEPT, **crossval.KEPT, **drift.KEPT, **ks.KEPT, **monitor.KEPT}


def keep_oracle_outputs() -> str:
    """Keep the scikit-learn and scipy oracles' outputs for every hidden case (the judges made by ``returns``
    with a kept oracle are found by themselves; the KS tests of ks_drift and DriftMonitor and the drawn
    cross-validation cases' reference loops are named), the judges' own costlier references (DriftMonitor's
    reports, the PSI family, the paired bootstrap's intervals), and what the case makers keep: the folds of an
    int cv, the correct loop's fold scores, the KS decision samples (``mlkata warm``)."""
    return f"{keep_outputs(MODULE, KEPT)} outputs of the scikit-learn and scipy oracles and the judges' references kept"


MODULE = Module(
    id="05_evaluation",
    version="1",
    title="Evaluation: metrics, validation, calibration, monitoring",
    skill="evaluation",
    exercises=(confusion_matrix, precision_recall_f1, roc_curve, average_precision, regression_report,
               stratified_kfold, cross_val_score, expected_calibration_error, cost_optimal_threshold, psi,
               ks_drift, DriftMonitor, paired_bootstrap_diff),
    shared_child=True,        # pure functions: an exercise's function-call checks share one sandbox child
    parallel_exercises=True,  # its exercises may be graded two at a time (engine/parallel.py)
    parallel_checks=True,     # no check reads a file or state another left: a free side runs the rest
    # pyarrow's pandas conversion: what a DriftMonitor's probe imported on first use, in every fresh child
    preload=("numpy", "pandas", "scipy.stats", "sklearn.metrics", "sklearn.model_selection",
             "pyarrow.pandas_compat", "pyarrow.vendored.version", "graders.modules.m05_evaluation.helpers",
             "graders.modules.m05_evaluation.models"),
    # no grading_imports: the outputs of its scikit-learn and scipy oracles are kept per case
    # (engine/kept_values.py), which `mlkata warm` computes once per machine: a grade imports neither
    warm_up=keep_oracle_outputs,
)
