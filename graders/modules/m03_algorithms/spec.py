"""The 03_algorithms module: its exercises in notebook order."""
from graders.engine.spec import Module

from .boosting import GradientBoostingRegressor
from .curves import learning_curve
from .forest import RandomForestClassifier
from .kmeans import KMeans
from .knn import KNNClassifier
from .logistic import LogisticRegression
from .naive_bayes import GaussianNB
from .split import gini
from .tree import DecisionTree

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
             "graders.modules.m03_algorithms.helpers"),
    # the grading process imports them while the sandbox starts: the sklearn estimators its references fit
    grading_imports=("sklearn.cluster", "sklearn.datasets", "sklearn.ensemble"),
)
