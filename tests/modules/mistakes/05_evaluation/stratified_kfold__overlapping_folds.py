# mistake: overlapping-folds
# expect: the test folds overlap or miss rows
def stratified_kfold(y, n_splits=5, shuffle=True, seed=0):
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    n = len(y)
    folds = []
    for k in range(n_splits):
        test = []
        for c in np.unique(y):
            members = np.flatnonzero(y == c)
            test.extend(rng.choice(members, size=len(members) // n_splits, replace=False))   # drawn afresh per fold
        test = np.sort(np.array(test, dtype=int))
        folds.append((np.setdiff1d(np.arange(n), test), test))
    return folds


def time_series_split(n, n_splits, gap=0):
    m = n // (n_splits + 1)
    return [(np.arange(0, n - (n_splits - k) * m - gap), np.arange(n - (n_splits - k) * m, n - (n_splits - k - 1) * m))
            for k in range(n_splits)]
