# mistake: child-impurity-not-decrease
# expect: return the decrease
def gini(y):
    _, counts = np.unique(y, return_counts=True)
    p = counts / counts.sum()
    return 1.0 - np.sum(p ** 2)


def best_split(X, y):
    best = None
    n = len(y)
    for f in range(X.shape[1]):
        values = np.unique(X[:, f])
        for t in (values[:-1] + values[1:]) / 2:
            left = X[:, f] <= t
            children = left.sum() / n * gini(y[left]) + (~left).sum() / n * gini(y[~left])
            if best is None or children < best[2]:
                best = (f, float(t), float(children))   # the smallest child impurity is the best split...
    return best                                        # ...but the contract asks for the decrease
