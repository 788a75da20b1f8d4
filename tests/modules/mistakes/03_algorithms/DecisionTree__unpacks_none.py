# mistake: unsplittable-node
# expect: best_split returns None there
class DecisionTree:
    """Right wherever every impure node has a split; rows with equal features and different labels crash."""

    def __init__(self, max_depth=None, min_samples_split=2):
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split

    def fit(self, X, y):
        self.root_ = self._grow(np.asarray(X, dtype=float), np.asarray(y), depth=0)
        return self

    def _grow(self, X, y, depth):
        labels, counts = np.unique(y, return_counts=True)
        if len(labels) == 1 or len(y) < self.min_samples_split or \
                (self.max_depth is not None and depth >= self.max_depth):
            return {"label": labels[np.argmax(counts)]}
        f, t, _ = best_split(X, y)
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
