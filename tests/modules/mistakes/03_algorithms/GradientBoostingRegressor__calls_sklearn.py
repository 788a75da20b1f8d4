# mistake: blocked-call
# expect: implement it yourself
from sklearn.ensemble import GradientBoostingRegressor as _SkGB


class GradientBoostingRegressor:
    def __init__(self, n_estimators=100, learning_rate=0.1, max_depth=3):
        self.n_estimators, self.learning_rate, self.max_depth = n_estimators, learning_rate, max_depth

    def fit(self, X, y):
        self.model_ = _SkGB(n_estimators=self.n_estimators, learning_rate=self.learning_rate,
                            max_depth=self.max_depth).fit(X, y)
        return self

    def predict(self, X):
        return self.model_.predict(X)
