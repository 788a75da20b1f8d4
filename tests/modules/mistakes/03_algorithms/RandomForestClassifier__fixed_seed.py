# mistake: seed-ignored
# expect: does not depend on `seed`
from sklearn.tree import DecisionTreeClassifier


class RandomForestClassifier:
    """Correct forests, but every seed grows the same one."""

    def __init__(self, n_estimators=100, max_features="sqrt", seed=0):
        self.n_estimators = n_estimators
        self.max_features = max_features
        self.seed = seed

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        self.classes_, codes = np.unique(y, return_inverse=True)
        n, C = len(codes), len(self.classes_)
        rng = np.random.default_rng(0)                       # a fixed seed: self.seed is never used
        self.trees_ = []
        oob_votes = np.zeros((n, C), dtype=int)
        for _ in range(self.n_estimators):
            sample = rng.choice(n, size=n, replace=True)
            in_bag = np.zeros(n, dtype=bool)
            in_bag[sample] = True
            tree = DecisionTreeClassifier(max_features=self.max_features,
                                          random_state=int(rng.integers(0, 2 ** 31 - 1)))
            tree.fit(X[sample], codes[sample])                 # trained on class indices
            self.trees_.append(tree)
            out = ~in_bag
            if out.any():
                oob_votes[np.flatnonzero(out), tree.predict(X[out])] += 1
        scored = oob_votes.sum(axis=1) > 0
        self.oob_score_ = float((oob_votes[scored].argmax(axis=1) == codes[scored]).mean())
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        votes = np.zeros((len(X), len(self.classes_)), dtype=int)
        for tree in self.trees_:
            votes[np.arange(len(X)), tree.predict(X)] += 1
        return self.classes_[votes.argmax(axis=1)]
