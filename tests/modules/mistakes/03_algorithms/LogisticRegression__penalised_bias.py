# mistake: penalised-bias
# expect: bias b left out of the penalty
class LogisticRegression:
    def __init__(self, lr=0.1, n_iter=1000, l2=0.0):
        self.lr, self.n_iter, self.l2 = lr, n_iter, l2

    def fit(self, X, y):
        X = np.c_[np.ones(len(X)), np.asarray(X, dtype=float)]      # bias as a column of ones
        y = np.asarray(y, dtype=float)
        theta = np.zeros(X.shape[1])
        for _ in range(self.n_iter):
            p = 1 / (1 + np.exp(-np.clip(X @ theta, -500, 500)))
            theta = theta - self.lr * (X.T @ (p - y) / len(y) + self.l2 * theta)   # penalises the bias too
        self.intercept_, self.coef_ = theta[0], theta[1:]
        return self

    def predict_proba(self, X):
        return 1 / (1 + np.exp(-np.clip(np.asarray(X, dtype=float) @ self.coef_ + self.intercept_, -500, 500)))

    def predict(self, X):
        return (self.predict_proba(X) > 0.5).astype(int)
