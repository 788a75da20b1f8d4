# mistake: one-pass-variance
# expect: mean(x²) - mean(x)²
class GaussianNB:
    """Right everywhere near 0; the variances come from E[x²] - E[x]², which cancels far from 0."""

    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(y)
        def var(a):
            return (a ** 2).mean(0) - a.mean(0) ** 2
        epsilon = self.var_smoothing * var(X).max()
        self.mu_ = np.array([X[y == c].mean(0) for c in self.classes_])
        self.var_ = np.array([var(X[y == c]) for c in self.classes_]) + epsilon
        self.log_prior_ = np.log([np.mean(y == c) for c in self.classes_])
        return self

    def _jll(self, X):
        X = np.asarray(X, dtype=float)
        return self.log_prior_ - 0.5 * (np.log(2 * np.pi * self.var_).sum(1)
                                        + ((X[:, None, :] - self.mu_) ** 2 / self.var_).sum(2))

    def predict_proba(self, X):
        jll = self._jll(X)
        p = np.exp(jll - jll.max(1, keepdims=True))
        return p / p.sum(1, keepdims=True)

    def predict(self, X):
        return self.classes_[self._jll(X).argmax(1)]
