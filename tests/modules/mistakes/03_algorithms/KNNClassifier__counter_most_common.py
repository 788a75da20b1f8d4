# mistake: vote-ties-first-seen
# expect: Counter.most_common
from collections import Counter


class KNNClassifier:
    def __init__(self, k=5):
        self.k = k

    def fit(self, X, y):
        self.X_, self.y_ = np.asarray(X, dtype=float), np.asarray(y)
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        d = (X ** 2).sum(1)[:, None] + (self.X_ ** 2).sum(1)[None, :] - 2 * X @ self.X_.T
        nearest = np.argsort(d, axis=1, kind="stable")[:, :self.k]
        return np.array([Counter(self.y_[row].tolist()).most_common(1)[0][0] for row in nearest])
