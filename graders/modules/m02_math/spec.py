"""The 02_math module: its exercises in notebook order."""
from graders.engine.spec import Module

from .calculus import gradient_descent, numerical_gradient
from .cosine import pairwise_cosine
from .linalg import pca, ridge_fit
from .softmax import logsumexp, softmax
from .stats import bootstrap_ci, gaussian_mle, welch_ttest

MODULE = Module(
    id="02_math",
    version="1",
    title="Math for ML: linear algebra, probability, calculus, optimisation",
    skill="math",
    exercises=(softmax, logsumexp, numerical_gradient, gradient_descent, ridge_fit, pca, bootstrap_ci,
               gaussian_mle, welch_ttest, pairwise_cosine),
    shared_child=True,        # pure functions: an exercise's function-call checks share one sandbox child
    parallel_exercises=True,  # its exercises may be graded two at a time (engine/parallel.py)
    # the notebook's own libraries, and scipy's blocked functions; not scikit-learn, whose estimators the
    # exercises block (0.4 s more here): a tripwire is wired if a learner's import loads it
    preload=("numpy", "scipy.special", "scipy.stats", "scipy.optimize", "scipy.spatial.distance",
             "graders.modules.m02_math.helpers"),
)
