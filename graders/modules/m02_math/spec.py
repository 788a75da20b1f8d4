"""The 02_math module: its exercises in notebook order."""
from graders.engine.kept_values import keep_outputs
from graders.engine.spec import Module

from . import stats
from .calculus import gradient_descent, numerical_gradient
from .cosine import pairwise_cosine
from .linalg import pca, ridge_fit
from .softmax import logsumexp, softmax
from .stats import bootstrap_ci, gaussian_mle, welch_ttest


def keep_oracle_outputs() -> str:
    """Compute and keep the bootstrap reference's intervals and the scipy oracles' outputs (softmax, logsumexp,
    the Gaussian log-likelihood, Welch's test: ``returns`` judges, found by themselves) for every hidden case
    (``mlkata warm``)."""
    return f"{keep_outputs(MODULE, stats.KEPT)} outputs of the bootstrap reference and the scipy oracles kept"


MODULE = Module(
    id="02_math",
    version="1",
    title="Math for ML: linear algebra, probability, calculus, optimisation",
    skill="math",
    exercises=(softmax, logsumexp, numerical_gradient, gradient_descent, ridge_fit, pca, bootstrap_ci,
               gaussian_mle, welch_ttest, pairwise_cosine),
    shared_child=True,        # pure functions: an exercise's function-call checks share one sandbox child
    parallel_exercises=True,  # its exercises may be graded two at a time (engine/parallel.py)
    parallel_checks=True,     # no check reads a file or state another left: a free side runs the rest
    # the notebook's own libraries, and scipy's blocked functions; not scikit-learn, whose estimators the
    # exercises block (0.4 s more here): a tripwire is wired if a learner's import loads it
    preload=("numpy", "scipy.special", "scipy.stats", "scipy.optimize", "scipy.spatial.distance",
             "graders.modules.m02_math.helpers"),
    # the bootstrap reference's intervals (50,000 resamples a case) and the scipy oracles' outputs are kept
    # per case (engine/kept_values.py), which `mlkata warm` computes once per machine: a grade imports no scipy
    warm_up=keep_oracle_outputs,
)
