# mistake: zero-init
# expect: starts from 0 instead of the mean
from sklearn.tree import DecisionTreeRegressor


class GradientBoostingRegressor:
    def __init__(self, n_estimators=100, learning_rate=0.1, max_depth=3):
        self.n_estimators, self.learning_rate, self.max_depth = n_estimators, learning_rate, max_depth

    def fit(self, X, y):
        y = np.asarray(y, dtype=float)
        F = np.zeros(len(y))
        self.trees_ = []
        for _ in range(self.n_estimators):
            tree = DecisionTreeRegressor(max_depth=self.max_depth).fit(X, y - F)
            F += self.learning_rate * tree.predict(X)
            self.trees_.append(tree)
        return self

    def predict(self, X):
        return self.learning_rate * sum(tree.predict(X) for tree in self.trees_)
