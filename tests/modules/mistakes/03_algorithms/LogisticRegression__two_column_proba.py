# mistake: proba-two-columns
# expect: shape (n,)
class LogisticRegression:
    def __init__(self, lr=0.1, n_iter=1000, l2=0.0):
        self.lr, self.n_iter, self.l2 = lr, n_iter, l2

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        w, b = np.zeros(X.shape[1]), 0.0
        for _ in range(self.n_iter):
            p = 1 / (1 + np.exp(-np.clip(X @ w + b, -500, 500)))
            w = w - self.lr * (X.T @ (p - y) / len(y) + self.l2 * w)
            b = b - self.lr * np.mean(p - y)
        self.coef_, self.intercept_ = w, b
        return self

    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-np.clip(np.asarray(X, dtype=float) @ self.coef_ + self.intercept_, -500, 500)))
        return np.c_[1 - p, p]

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] > 0.5).astype(int)
