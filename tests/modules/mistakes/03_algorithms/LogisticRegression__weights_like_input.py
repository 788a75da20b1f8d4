# mistake: integer-weights
# expect: np.zeros(d) (float64)
class LogisticRegression:
    """Right on float features; the weights take X's dtype, so integer X breaks the in-place updates."""

    def __init__(self, lr=0.1, n_iter=1000, l2=0.0):
        self.lr, self.n_iter, self.l2 = lr, n_iter, l2

    def fit(self, X, y):
        X, y = np.asarray(X), np.asarray(y, dtype=float)
        n = len(y)
        self.coef_, self.intercept_ = np.zeros_like(X[0]), 0.0
        for _ in range(self.n_iter):
            p = 1.0 / (1.0 + np.exp(-np.clip(X @ self.coef_ + self.intercept_, -500, 500)))
            self.coef_ -= self.lr * (X.T @ (p - y) / n + self.l2 * self.coef_)
            self.intercept_ -= self.lr * np.mean(p - y)
        return self

    def predict_proba(self, X):
        z = np.asarray(X, dtype=float) @ self.coef_ + self.intercept_
        return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))

    def predict(self, X):
        return (self.predict_proba(X) > 0.5).astype(int)
