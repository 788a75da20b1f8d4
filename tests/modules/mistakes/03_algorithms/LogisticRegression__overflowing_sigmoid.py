# mistake: overflow
# expect: inf/inf
class LogisticRegression:
    def __init__(self, lr=0.1, n_iter=1000, l2=0.0):
        self.lr, self.n_iter, self.l2 = lr, n_iter, l2

    @staticmethod
    def _sigmoid(z):
        e = np.exp(z)
        return e / (1 + e)

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        w, b = np.zeros(X.shape[1]), 0.0
        for _ in range(self.n_iter):
            p = self._sigmoid(X @ w + b)
            w = w - self.lr * (X.T @ (p - y) / len(y) + self.l2 * w)
            b = b - self.lr * np.mean(p - y)
        self.coef_, self.intercept_ = w, b
        return self

    def predict_proba(self, X):
        return self._sigmoid(np.asarray(X, dtype=float) @ self.coef_ + self.intercept_)

    def predict(self, X):
        return (self.predict_proba(X) > 0.5).astype(int)
