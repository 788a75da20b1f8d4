# mistake: unweighted-children
# expect: weight each child
def gini(y):
    _, counts = np.unique(y, return_counts=True)
    p = counts / counts.sum()
    return 1.0 - np.sum(p ** 2)


def best_split(X, y):
    best = None
    for f in range(X.shape[1]):
        values = np.unique(X[:, f])
        for t in (values[:-1] + values[1:]) / 2:
            left = X[:, f] <= t
            decrease = gini(y) - (gini(y[left]) + gini(y[~left])) / 2
            if best is None or decrease > best[2]:
                best = (f, t, decrease)
    return best
