# mistake: tree-missing-class
# expect: may not have seen every class
from sklearn.tree import DecisionTreeClassifier


class RandomForestClassifier:
    """Averages the trees' predict_proba as they come: right while every bootstrap sample holds every class
    (always so on hundreds of rows), a shape error when a tree never saw a rare class."""

    def __init__(self, n_estimators=100, max_features="sqrt", seed=0):
        self.n_estimators = n_estimators
        self.max_features = max_features
        self.seed = seed

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        rng = np.random.default_rng(self.seed)
        n = len(y)
        self.classes_ = np.unique(y)
        votes = np.zeros((n, len(self.classes_)))
        self.trees_ = []
        for _ in range(self.n_estimators):
            rows = rng.integers(0, n, size=n)
            tree = DecisionTreeClassifier(max_features=self.max_features,
                                          random_state=int(rng.integers(2 ** 31 - 1)))
            tree.fit(X[rows], y[rows])
            self.trees_.append(tree)
            out = np.setdiff1d(np.arange(n), rows)
            if len(out):
                votes[out] += tree.predict_proba(X[out])        # assumes the tree saw every class
        seen = votes.sum(axis=1) > 0
        self.oob_score_ = float(np.mean(self.classes_[votes[seen].argmax(axis=1)] == y[seen]))
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        total = sum(tree.predict_proba(X) for tree in self.trees_)
        return self.classes_[np.argmax(total, axis=1)]
