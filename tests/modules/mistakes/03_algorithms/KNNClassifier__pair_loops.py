# mistake: loops
# expect: vectorised
class KNNClassifier:
    def __init__(self, k=5):
        self.k = k

    def fit(self, X, y):
        self.X_, self.y_ = np.asarray(X, dtype=float).tolist(), list(np.asarray(y))
        return self

    def predict(self, X):
        out = []
        for q in np.asarray(X, dtype=float).tolist():
            dists = []
            for i, x in enumerate(self.X_):
                dists.append((sum((a - b) ** 2 for a, b in zip(q, x)), i))
            dists.sort()
            counts = {}
            for _, i in dists[:self.k]:
                counts[self.y_[i]] = counts.get(self.y_[i], 0) + 1
            best = max(counts.values())
            out.append(min(label for label, c in counts.items() if c == best))
        return np.array(out)
