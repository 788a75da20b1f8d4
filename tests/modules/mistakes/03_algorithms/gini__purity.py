# mistake: purity-not-impurity
# expect: 1 - sum(p_k²)
def gini(y):
    _, counts = np.unique(y, return_counts=True)
    p = counts / counts.sum()
    return np.sum(p ** 2)


def best_split(X, y):
    def impurity(labels):
        return 1.0 - gini(labels)

    best, n = None, len(y)
    for f in range(X.shape[1]):
        values = np.unique(X[:, f])
        for t in (values[:-1] + values[1:]) / 2:
            left = X[:, f] <= t
            decrease = impurity(y) - (left.sum() * impurity(y[left]) + (~left).sum() * impurity(y[~left])) / n
            if best is None or decrease > best[2]:
                best = (f, t, decrease)
    return best
