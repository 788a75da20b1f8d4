from sklearn.tree import DecisionTreeRegressor


class GradientBoostingRegressor:
    """friedman_mse trees (scikit-learn's choice), residuals kept as a running prediction, stacked predict."""

    def __init__(self, n_estimators=100, learning_rate=0.1, max_depth=3):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth

    def fit(self, X, y):
        y = np.asarray(y, dtype=float)
        self.base = float(np.mean(y))
        prediction = self.base * np.ones_like(y)
        self.stages = []
        while len(self.stages) < self.n_estimators:
            residual = y - prediction
            stage = DecisionTreeRegressor(criterion="friedman_mse", max_depth=self.max_depth)
            stage.fit(X, residual)
            prediction = prediction + self.learning_rate * stage.predict(X)
            self.stages.append(stage)
        return self

    def predict(self, X):
        if not self.stages:
            return np.full(len(X), self.base)
        return self.base + self.learning_rate * np.vstack([s.predict(X) for s in self.stages]).sum(axis=0)
