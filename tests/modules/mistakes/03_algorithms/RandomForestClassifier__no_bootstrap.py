# mistake: no-bootstrap
# expect: bootstrap sample
from sklearn.tree import DecisionTreeClassifier


class RandomForestClassifier:
    def __init__(self, n_estimators=100, max_features="sqrt", seed=0):
        self.n_estimators, self.max_features, self.seed = n_estimators, max_features, seed

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        rng = np.random.default_rng(self.seed)
        self.classes_ = np.unique(y)
        self.trees_ = [DecisionTreeClassifier(max_features=self.max_features,
                                              random_state=int(rng.integers(2 ** 31 - 1))).fit(X, y)
                       for _ in range(self.n_estimators)]             # every tree sees every row
        self.oob_score_ = float(np.mean(self.predict(X) == y))
        return self

    def predict(self, X):
        votes = sum(tree.predict_proba(X) for tree in self.trees_)
        return self.classes_[votes.argmax(1)]
