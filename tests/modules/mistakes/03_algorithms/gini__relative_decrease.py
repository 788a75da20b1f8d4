# mistake: wrong-decrease
# expect: right split, wrong impurity_decrease
def gini(y):
    _, counts = np.unique(y, return_counts=True)
    p = counts / counts.sum()
    return 1.0 - np.sum(p ** 2)


def best_split(X, y):
    best = None
    n = len(y)
    parent = gini(y)
    for f in range(X.shape[1]):
        values = np.unique(X[:, f])
        for t in (values[:-1] + values[1:]) / 2:
            left = X[:, f] <= t
            children = left.sum() / n * gini(y[left]) + (~left).sum() / n * gini(y[~left])
            decrease = (parent - children) / parent     # a relative gain: not the contract's decrease
            if best is None or decrease > best[2]:
                best = (f, float(t), float(decrease))
    return best
