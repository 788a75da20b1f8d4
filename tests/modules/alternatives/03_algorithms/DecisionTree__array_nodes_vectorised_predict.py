class DecisionTree:
    """Nodes stored in flat arrays (like sklearn's tree_), grown with an explicit stack, own split search
    with cumulative class counts, and a vectorised predict that moves all rows down one level at a time."""

    def __init__(self, max_depth=None, min_samples_split=2):
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split

    @staticmethod
    def _best(X, codes, n_classes):
        n = len(codes)
        onehot = np.eye(n_classes)[codes]
        total = onehot.sum(0)
        parent = 1 - ((total / n) ** 2).sum()
        best = None
        for j in range(X.shape[1]):
            order = np.argsort(X[:, j], kind="stable")
            x = X[order, j]
            left = np.cumsum(onehot[order], 0)[:-1]
            nl = np.arange(1, n)[:, None]
            child = (nl[:, 0] * (1 - ((left / nl) ** 2).sum(1))
                     + (n - nl[:, 0]) * (1 - (((total - left) / (n - nl)) ** 2).sum(1))) / n
            ok = np.flatnonzero(x[1:] > x[:-1])
            if len(ok):
                i = ok[np.argmax(parent - child[ok])]
                if best is None or parent - child[i] > best[2]:
                    best = (j, (x[i] + x[i + 1]) / 2, parent - child[i])
        return best

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        self.classes_, codes = np.unique(y, return_inverse=True)
        C = len(self.classes_)
        self.feature, self.threshold, self.left, self.right, self.value = [], [], [], [], []
        stack = [(np.arange(len(codes)), 0, None, None)]
        while stack:
            rows, depth, parent, side = stack.pop()
            node = len(self.feature)
            if parent is not None:
                (self.left if side == "L" else self.right)[parent] = node
            counts = np.bincount(codes[rows], minlength=C)
            self.value.append(int(np.argmax(counts)))
            self.feature.append(-1)
            self.threshold.append(0.0)
            self.left.append(-1)
            self.right.append(-1)
            deep = self.max_depth is not None and depth >= self.max_depth
            if deep or len(rows) < self.min_samples_split or (counts > 0).sum() == 1:
                continue
            split = self._best(X[rows], codes[rows], C)
            if split is None:
                continue
            j, t, _ = split
            self.feature[node], self.threshold[node] = j, t
            go = X[rows, j] <= t
            stack.append((rows[~go], depth + 1, node, "R"))
            stack.append((rows[go], depth + 1, node, "L"))
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        feature, threshold = np.array(self.feature), np.array(self.threshold)
        left, right = np.array(self.left), np.array(self.right)
        at = np.zeros(len(X), dtype=int)
        while True:
            inner = feature[at] >= 0
            if not inner.any():
                break
            rows = np.flatnonzero(inner)
            go_left = X[rows, feature[at[rows]]] <= threshold[at[rows]]
            at[rows] = np.where(go_left, left[at[rows]], right[at[rows]])
        return self.classes_[np.array(self.value)[at]]
