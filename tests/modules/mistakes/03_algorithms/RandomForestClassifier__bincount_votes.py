# mistake: bincount-negative-labels
# expect: np.bincount counts only non-negative
from sklearn.tree import DecisionTreeClassifier


class RandomForestClassifier:
    """Stacks the trees' predictions and takes each column's most common label with np.bincount: right for
    non-negative labels (1, 4, 6 too), an error on -1."""

    def __init__(self, n_estimators=100, max_features="sqrt", seed=0):
        self.n_estimators = n_estimators
        self.max_features = max_features
        self.seed = seed

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        rng = np.random.default_rng(self.seed)
        n = len(y)
        self.trees_ = []
        oob_preds = [[] for _ in range(n)]
        for _ in range(self.n_estimators):
            rows = rng.integers(0, n, size=n)
            tree = DecisionTreeClassifier(max_features=self.max_features,
                                          random_state=int(rng.integers(2 ** 31 - 1)))
            tree.fit(X[rows], y[rows])
            self.trees_.append(tree)
            out = np.setdiff1d(np.arange(n), rows)
            if len(out):
                for i, p in zip(out, tree.predict(X[out])):
                    oob_preds[i].append(p)
        scored = [i for i in range(n) if oob_preds[i]]
        self.oob_score_ = float(np.mean([np.bincount(oob_preds[i]).argmax() == y[i] for i in scored]))
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        preds = np.array([tree.predict(X) for tree in self.trees_]).astype(int)
        return np.array([np.bincount(col).argmax() for col in preds.T])
