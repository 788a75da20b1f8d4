# mistake: blocked-call
# expect: implement it yourself
from sklearn.ensemble import RandomForestClassifier as _SkForest


class RandomForestClassifier:
    def __init__(self, n_estimators=100, max_features="sqrt", seed=0):
        self.n_estimators, self.max_features, self.seed = n_estimators, max_features, seed

    def fit(self, X, y):
        self.model_ = _SkForest(self.n_estimators, max_features=self.max_features, oob_score=True,
                                random_state=self.seed).fit(X, y)
        self.oob_score_ = self.model_.oob_score_
        return self

    def predict(self, X):
        return self.model_.predict(X)
