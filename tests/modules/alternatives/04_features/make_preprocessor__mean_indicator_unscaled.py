from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder


def make_preprocessor(numeric, categorical):
    """Mean imputation with missing indicators, no scaling; most-frequent category, then one-hot."""
    return make_column_transformer(
        (SimpleImputer(strategy="mean", add_indicator=True), numeric),
        (make_pipeline(SimpleImputer(strategy="most_frequent"),
                       OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=5)), categorical),
    )
