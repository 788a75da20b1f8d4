# mistake: distance-ties-higher-index
# expect: lower
class KNNClassifier:
    def __init__(self, k=5):
        self.k = k

    def fit(self, X, y):
        self.X_, self.y_ = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(self.y_)
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        d = (X ** 2).sum(1)[:, None] + (self.X_ ** 2).sum(1)[None, :] - 2 * X @ self.X_.T
        n = d.shape[1]
        reversed_order = np.argsort(d[:, ::-1], axis=1, kind="stable")      # ties: higher index first
        nearest = (n - 1 - reversed_order)[:, :self.k]
        votes = (self.y_[nearest][:, :, None] == self.classes_).sum(1)
        return self.classes_[votes.argmax(1)]
