"""The 05_evaluation module: its exercises in notebook order."""
from graders.engine.spec import Module

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
    # pyarrow's pandas conversion: what a DriftMonitor's probe imported on first use, in every fresh child
    preload=("numpy", "pandas", "scipy.stats", "sklearn.metrics", "sklearn.model_selection",
             "pyarrow.pandas_compat", "pyarrow.vendored.version", "graders.modules.m05_evaluation.helpers"),
)
