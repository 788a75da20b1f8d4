# mistake: global-rng
# expect: np.random.default_rng(seed)
from sklearn.tree import DecisionTreeClassifier


class RandomForestClassifier:
    def __init__(self, n_estimators=100, max_features="sqrt", seed=0):
        self.n_estimators, self.max_features, self.seed = n_estimators, max_features, seed

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        n = len(y)
        self.classes_ = np.unique(y)
        votes = np.zeros((n, len(self.classes_)))
        self.trees_ = []
        for _ in range(self.n_estimators):
            rows = np.random.randint(0, n, n)                                # the global generator
            tree = DecisionTreeClassifier(max_features=self.max_features).fit(X[rows], y[rows])
            self.trees_.append(tree)
            oob = np.setdiff1d(np.arange(n), rows)
            votes[oob[:, None], np.searchsorted(self.classes_, tree.classes_)] += tree.predict_proba(X[oob])
        seen = votes.sum(1) > 0
        self.oob_score_ = float(np.mean(self.classes_[votes[seen].argmax(1)] == y[seen]))
        return self

    def predict(self, X):
        votes = np.zeros((len(X), len(self.classes_)))
        for tree in self.trees_:
            votes[:, np.searchsorted(self.classes_, tree.classes_)] += tree.predict_proba(X)
        return self.classes_[votes.argmax(1)]
