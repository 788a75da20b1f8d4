def gini(y):
    y = np.asarray(y)
    p = np.array([np.mean(y == c) for c in set(y.tolist())])
    return 1 - float(p @ p)


def best_split(X, y):
    """Sort each feature once and sweep: class counts on the left are a cumulative sum (O(d n log n))."""
    X = np.asarray(X, dtype=float)
    classes, codes = np.unique(y, return_inverse=True)
    n = len(codes)
    onehot = np.eye(len(classes))[codes]
    total = onehot.sum(axis=0)
    parent = 1 - np.sum((total / n) ** 2)
    best = None
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j], kind="mergesort")
        x = X[order, j]
        left = np.cumsum(onehot[order], axis=0)[:-1]
        right = total - left
        n_left = np.arange(1, n)
        g_left = 1 - np.sum((left / n_left[:, None]) ** 2, axis=1)
        g_right = 1 - np.sum((right / (n - n_left)[:, None]) ** 2, axis=1)
        gain = parent - (n_left * g_left + (n - n_left) * g_right) / n
        valid = np.flatnonzero(x[1:] > x[:-1])
        if valid.size == 0:
            continue
        i = valid[np.argmax(gain[valid])]                  # first maximum: the lowest threshold
        if best is None or gain[i] > best[2]:
            best = (j, (x[i] + x[i + 1]) / 2, gain[i])
    return best
