# mistake: bincount-negative-labels
# expect: np.bincount counts only non-negative
class KNNClassifier:
    """Right on labels 0, 1, 2, ... (bincount's argmax is the smallest label on ties); np.bincount raises on -1."""

    def __init__(self, k=5):
        self.k = k

    def fit(self, X, y):
        self.X = np.asarray(X, dtype=float)
        self.y = np.asarray(y)
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        d = ((X[:, None, :] - self.X[None, :, :]) ** 2).sum(-1)
        nearest = np.argsort(d, axis=1, kind="stable")[:, :self.k]
        return np.array([np.bincount(self.y[row]).argmax() for row in nearest])
