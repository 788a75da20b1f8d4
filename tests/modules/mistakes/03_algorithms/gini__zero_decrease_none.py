# mistake: zero-decrease-none
# expect: none of them lowers the impurity
def gini(y):
    _, counts = np.unique(y, return_counts=True)
    p = counts / len(y)
    return 1.0 - np.sum(p ** 2)


def best_split(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    n, d = X.shape
    parent = gini(y)
    best, best_decrease = None, 0.0             # "a split must improve on doing nothing"
    for f in range(d):
        values = np.unique(X[:, f])
        for t in (values[:-1] + values[1:]) / 2:
            left = X[:, f] <= t
            decrease = parent - (left.sum() * gini(y[left]) + (~left).sum() * gini(y[~left])) / n
            if decrease > best_decrease:
                best, best_decrease = (f, float(t), float(decrease)), decrease
    return best
