# mistake: blocked-call
# expect: implement it yourself
from sklearn.naive_bayes import GaussianNB as _SkNB


class GaussianNB:
    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        self.model_ = _SkNB(var_smoothing=self.var_smoothing).fit(X, y)
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)
