"""The 04_features module: its exercises in notebook order."""
from graders.engine.kept_values import keep_outputs
from graders.engine.spec import Module

from .chunked import chunked_group_mean
from .cleaning import clean_listings
from .clipper import IQRClipper
from .imputer import GroupMedianImputer
from .leaks import find_leaky_columns
from .onehot import one_hot_align
from .pipeline import make_preprocessor
from .selection import select_k_best
from .target_encoding import target_encode
from .timefeat import time_features


def keep_oracle_outputs() -> str:
    """Compute and keep the pandas references' outputs for every hidden case (``mlkata warm``): the imputer's,
    the clipper's, one_hot_align's and time_features' judges carry their kept oracle, found by themselves."""
    return f"{keep_outputs(MODULE)} outputs of the pandas references kept"


MODULE = Module(
    id="04_features",
    version="1",
    title="Data processing and feature engineering: pandas and scikit-learn",
    skill="features",
    exercises=(clean_listings, GroupMedianImputer, IQRClipper, target_encode, one_hot_align, time_features,
               make_preprocessor, select_k_best, find_leaky_columns, chunked_group_mean),
    shared_child=True,        # pure functions: an exercise's function-call checks share one sandbox child
    parallel_exercises=True,  # its exercises may be graded two at a time (engine/parallel.py)
    preload=("numpy", "pandas", "scipy.stats", "sklearn.base", "sklearn.compose", "sklearn.pipeline",
             "sklearn.impute", "sklearn.preprocessing", "sklearn.linear_model", "sklearn.model_selection",
             "sklearn.feature_selection", "sklearn.metrics", "sklearn.ensemble", "sklearn.tree",
             # what scikit-learn's pandas output imports on first use: once here, not in every probe's child
             "narwhals._pandas_like.namespace", "narwhals._interchange.dataframe", "narwhals.stable.v2._namespace",
             "pyarrow.pandas_compat", "pyarrow.vendored.version",
             "graders.modules.m04_features.helpers"),
    # the pandas references' outputs are kept per case (engine/kept_values.py), computed by `mlkata warm`
    warm_up=keep_oracle_outputs,
)
