# mistake: fits-targets
# expect: fitted to y instead of the current residuals
from sklearn.tree import DecisionTreeRegressor


class GradientBoostingRegressor:
    def __init__(self, n_estimators=100, learning_rate=0.1, max_depth=3):
        self.n_estimators, self.learning_rate, self.max_depth = n_estimators, learning_rate, max_depth

    def fit(self, X, y):
        y = np.asarray(y, dtype=float)
        self.init_ = y.mean()
        F = np.full(len(y), self.init_)
        self.trees_ = []
        for _ in range(self.n_estimators):
            tree = DecisionTreeRegressor(max_depth=self.max_depth).fit(X, y)     # y, not y - F
            F += self.learning_rate * tree.predict(X)
            self.trees_.append(tree)
        return self

    def predict(self, X):
        return self.init_ + self.learning_rate * sum(tree.predict(X) for tree in self.trees_)
