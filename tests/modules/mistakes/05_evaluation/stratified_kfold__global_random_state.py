# mistake: global-rng
# expect: global random state
def stratified_kfold(y, n_splits=5, shuffle=True, seed=0):
    y = np.asarray(y)
    n = len(y)
    rows = np.random.permutation(n) if shuffle else np.arange(n)
    _, codes = np.unique(y[rows], return_inverse=True)
    rows = rows[np.argsort(codes, kind="stable")]
    fold_of = np.empty(n, dtype=int)
    fold_of[rows] = np.arange(n) % n_splits
    return [(np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)) for k in range(n_splits)]


def time_series_split(n, n_splits, gap=0):
    m = n // (n_splits + 1)
    return [(np.arange(0, n - (n_splits - k) * m - gap), np.arange(n - (n_splits - k) * m, n - (n_splits - k - 1) * m))
            for k in range(n_splits)]
