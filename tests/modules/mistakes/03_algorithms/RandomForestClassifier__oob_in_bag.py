# mistake: oob-in-bag
# expect: is the training accuracy
from sklearn.tree import DecisionTreeClassifier


class RandomForestClassifier:
    def __init__(self, n_estimators=100, max_features="sqrt", seed=0):
        self.n_estimators, self.max_features, self.seed = n_estimators, max_features, seed

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        rng = np.random.default_rng(self.seed)
        self.classes_ = np.unique(y)
        self.trees_ = []
        for _ in range(self.n_estimators):
            rows = rng.integers(0, len(y), len(y))
            tree = DecisionTreeClassifier(max_features=self.max_features, random_state=int(rng.integers(2 ** 31 - 1)))
            self.trees_.append(tree.fit(X[rows], y[rows]))
        self.oob_score_ = float(np.mean(self.predict(X) == y))            # scored on rows the trees saw
        return self

    def predict(self, X):
        votes = np.zeros((len(X), len(self.classes_)))
        for tree in self.trees_:
            votes[:, np.searchsorted(self.classes_, tree.classes_)] += tree.predict_proba(X)
        return self.classes_[votes.argmax(1)]
