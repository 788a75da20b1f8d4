# mistake: fitted
# expect: already fitted
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def make_preprocessor(numeric, categorical):
    ct = ColumnTransformer([("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), list(numeric)),
                            ("categorical", OneHotEncoder(handle_unknown="ignore"), list(categorical))])
    example = pd.DataFrame({**{c: [0.0, 1.0] for c in numeric}, **{c: ["a", "b"] for c in categorical}})
    ct.fit(example)                                   # a quick smoke test before handing it over
    return ct
