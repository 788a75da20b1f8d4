class LogisticRegression:
    """Newton's method (IRLS): a handful of second-order steps instead of n_iter small ones."""

    def __init__(self, lr=0.1, n_iter=1000, l2=0.0):
        self.lr, self.n_iter, self.l2 = lr, n_iter, l2

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        n, d = X.shape
        A = np.hstack([X, np.ones((n, 1))])
        penalty = np.diag(np.r_[np.full(d, self.l2), 0.0])
        theta = np.zeros(d + 1)
        for _ in range(50):
            p = 1.0 / (1.0 + np.exp(-np.clip(A @ theta, -700, 700)))
            grad = A.T @ (p - y) / n + penalty @ theta
            hess = A.T @ (A * (p * (1 - p))[:, None]) / n + penalty
            theta -= np.linalg.solve(hess, grad)
        self.coef_ = theta[:d]
        self.intercept_ = float(theta[d])
        return self

    def predict_proba(self, X):
        z = np.asarray(X, dtype=float) @ self.coef_ + self.intercept_
        out = np.empty_like(z)
        pos = z >= 0
        out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
        ez = np.exp(z[~pos])
        out[~pos] = ez / (1.0 + ez)
        return out

    def predict(self, X):
        return np.where(self.predict_proba(X) > 0.5, 1, 0)
