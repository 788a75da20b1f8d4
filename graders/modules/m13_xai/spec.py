"""The 13_xai module: its exercises in notebook order."""
import importlib.util
import re
import sys
from pathlib import Path

from graders.engine.kept_values import keep_outputs
from graders.engine.spec import Module

from . import counterfactual, permutation
from .counterfactual import counterfactual_linear
from .fairness import fairness_report
from .gradients import grad_cam, integrated_gradients
from .mdi import mdi_importance
from .pdp import partial_dependence
from .permutation import permutation_importance
from .shapley import exact_shapley

# the judges of their own whose oracles keep their outputs (the ``returns`` judges with a kept oracle,
# integrated gradients', Grad-CAM's, partial dependence's and fairness', are found on the judge itself)
KEPT = {permutation.judge_importances: permutation.ORACLE, counterfactual.judge_counterfactual: counterfactual.ORACLE}


def _cuda_build() -> bool:
    """Is the installed torch a CUDA build? Read from torch/version.py without importing torch (seconds)."""
    if "torch" in sys.modules:
        return bool(sys.modules["torch"].version.cuda)
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.origin:
        return False
    try:
        text = (Path(spec.origin).parent / "version.py").read_text(encoding="utf-8")
    except OSError:
        return False
    found = re.search(r"^cuda\b[^=\n]*=\s*(.+)$", text, re.MULTILINE)
    return found is not None and found.group(1).strip() != "None"


def keep_oracle_outputs() -> str:
    """Compute and keep the captum, scikit-learn, fairlearn and scipy oracles' outputs for every hidden case,
    and mdi's fitted trees, which its cases are made with (``mlkata warm``)."""
    return f"{keep_outputs(MODULE, KEPT)} outputs of the captum, scikit-learn, fairlearn and scipy oracles kept"


MODULE = Module(
    id="13_xai",
    version="1",
    title="Explainable and trustworthy ML: permutation importance, Shapley values, partial dependence, "
          "gradient attributions, counterfactuals and fairness slices",
    skill="explainability",
    exercises=(permutation_importance, exact_shapley, partial_dependence, integrated_gradients, grad_cam,
               counterfactual_linear, mdi_importance, fairness_report),
    shared_child=True,        # function-call checks of one exercise share one sandbox child (runner._lane)
    parallel_exercises=True,  # its exercises may be graded two at a time (engine/parallel.py)
    # torch first: the zygote pins it to one thread before forking any sandbox. Learner code gets plain inputs
    # (no sklearn estimator). The libraries the exercises block (sklearn.inspection, shap, captum, fairlearn)
    # are not here: a tripwire is wired when its library loads, so only a learner who imports one pays for it
    preload=("numpy", "torch", "graders.modules.m13_xai.helpers", "graders.modules.m13_xai.sandbox_torch"),
    mem_bytes=None if _cuda_build() else 2 << 30,
    # the grading process imports torch while the sandbox starts: the cases are torch networks and tensors.
    # Not captum, scikit-learn, fairlearn or scipy: their oracles keep their outputs per case
    # (engine/kept_values.py), which `mlkata warm` computes once per machine
    grading_imports=("torch",),
    warm_up=keep_oracle_outputs,
)
