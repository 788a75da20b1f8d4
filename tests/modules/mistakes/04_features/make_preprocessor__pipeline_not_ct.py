# mistake: not-a-column-transformer
# expect: return the sklearn.compose.ColumnTransformer itself
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def make_preprocessor(numeric, categorical):
    ct = ColumnTransformer([("num", SimpleImputer(strategy="median"), numeric),
                            ("cat", OneHotEncoder(handle_unknown="ignore"), categorical)])
    return make_pipeline(ct, StandardScaler(with_mean=False))
