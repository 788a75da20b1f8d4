# mistake: distance-ties-unstable
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
        nearest = np.argpartition(d, self.k - 1, axis=1)[:, :self.k]      # equal distances: any order
        votes = (self.y_[nearest][:, :, None] == self.classes_).sum(1)
        return self.classes_[votes.argmax(1)]
