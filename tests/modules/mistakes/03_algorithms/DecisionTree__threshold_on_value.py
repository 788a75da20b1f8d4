# mistake: threshold-not-midpoint
# expect: not midpoints
def _split_at_values(X, y):
    """Its own split search, thresholds on data values (x <= value goes left)."""
    def g(labels):
        _, c = np.unique(labels, return_counts=True)
        return 1 - np.sum((c / c.sum()) ** 2)

    best = None
    for f in range(X.shape[1]):
        for t in np.unique(X[:, f])[:-1]:
            left = X[:, f] <= t
            dec = g(y) - (left.sum() * g(y[left]) + (~left).sum() * g(y[~left])) / len(y)
            if best is None or dec > best[2]:
                best = (f, t, dec)
    return best


class DecisionTree:
    def __init__(self, max_depth=None, min_samples_split=2):
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split

    def fit(self, X, y):
        self.root_ = self._grow(np.asarray(X, dtype=float), np.asarray(y), depth=0)
        return self

    def _grow(self, X, y, depth):
        labels, counts = np.unique(y, return_counts=True)
        leaf = {"label": labels[np.argmax(counts)]}
        if len(labels) == 1 or len(y) < self.min_samples_split or \
                (self.max_depth is not None and depth >= self.max_depth):
            return leaf
        split = _split_at_values(X, y)
        if split is None:
            return leaf
        f, t, _ = split
        left = X[:, f] <= t
        return {"f": f, "t": t, "left": self._grow(X[left], y[left], depth + 1),
                "right": self._grow(X[~left], y[~left], depth + 1)}

    def predict(self, X):
        out = []
        for x in np.asarray(X, dtype=float):
            node = self.root_
            while "label" not in node:
                node = node["left"] if x[node["f"]] <= node["t"] else node["right"]
            out.append(node["label"])
        return np.array(out)
