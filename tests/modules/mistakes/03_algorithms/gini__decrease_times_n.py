# mistake: unnormalised-decrease
# expect: n times too large
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
            # weights n_left and n_right instead of n_left / n and n_right / n
            decrease = n * gini(y) - (left.sum() * gini(y[left]) + (~left).sum() * gini(y[~left]))
            if best is None or decrease > best[2]:
                best = (f, float(t), float(decrease))
    return best
