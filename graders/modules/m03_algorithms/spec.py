"""The 03_algorithms module: its exercises in notebook order."""
from graders.engine.kept_values import keep_outputs
from graders.engine.spec import Module

from . import boosting, curves, forest, kmeans
from .boosting import GradientBoostingRegressor
from .curves import learning_curve
from .forest import RandomForestClassifier
from .kmeans import KMeans
from .knn import KNNClassifier
from .logistic import LogisticRegression
from .naive_bayes import GaussianNB
from .split import gini
from .tree import DecisionTree

# the judges whose oracles keep their outputs, and those oracles with what they are called with
KEPT = {**forest.KEPT, **boosting.KEPT, **kmeans.KEPT, **curves.KEPT}


def keep_oracle_outputs() -> str:
    """Keep the scikit-learn oracles' outputs for every hidden case, and the data the cases are made of
    (scikit-learn's bundled datasets and generators, ``data.DATA``) (``mlkata warm``)."""
    return (f"{keep_outputs(MODULE, KEPT)} outputs of the scikit-learn oracles (forests, boosting, k-means, curves) "
            "and the datasets of the cases kept")


MODULE = Module(
    id="03_algorithms",
    version="1",
    title="Classical ML from scratch: fit/predict like scikit-learn",
    skill="classical-ml",
    exercises=(LogisticRegression, KNNClassifier, gini, DecisionTree, KMeans, GaussianNB, GradientBoostingRegressor,
               RandomForestClassifier, learning_curve),
    shared_child=True,        # pure functions: an exercise's function-call checks share one sandbox child
    parallel_exercises=True,  # its exercises may be graded two at a time (engine/parallel.py)
    preload=("numpy", "scipy.special", "scipy.optimize", "scipy.spatial.distance", "scipy.cluster.vq",
             "sklearn.base", "sklearn.tree", "sklearn.linear_model", "sklearn.neighbors", "sklearn.cluster",
             "sklearn.naive_bayes", "sklearn.ensemble", "sklearn.model_selection", "sklearn.metrics",
             "graders.modules.m03_algorithms.helpers", "graders.modules.m03_algorithms.centroid"),
    # no grading_imports: the data the cases are made of (scikit-learn's datasets) and the outputs of the
    # estimators its oracles fit (forests, boosting, k-means, curves) are kept per case (engine/kept_values.py),
    # which `mlkata warm` computes once per machine: a grade imports no scikit-learn
    warm_up=keep_oracle_outputs,
)
