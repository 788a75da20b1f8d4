# mistake: threshold-not-midpoint
# expect: halfway between
def gini(y):
    _, counts = np.unique(y, return_counts=True)
    p = counts / counts.sum()
    return 1.0 - np.sum(p ** 2)


def best_split(X, y):
    best, n = None, len(y)
    for f in range(X.shape[1]):
        for t in np.unique(X[:, f])[:-1]:            # split "x <= value" at each data value
            left = X[:, f] <= t
            decrease = gini(y) - (left.sum() * gini(y[left]) + (~left).sum() * gini(y[~left])) / n
            if best is None or decrease > best[2]:
                best = (f, t, decrease)
    return best
