# mistake: unstratified
# expect: not stratified
def stratified_kfold(y, n_splits=5, shuffle=True, seed=0):
    n = len(y)
    rows = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    tests = np.array_split(rows, n_splits)
    return [(np.setdiff1d(np.arange(n), t), np.sort(t)) for t in tests]


def time_series_split(n, n_splits, gap=0):
    m = n // (n_splits + 1)
    return [(np.arange(0, n - (n_splits - k) * m - gap), np.arange(n - (n_splits - k) * m, n - (n_splits - k - 1) * m))
            for k in range(n_splits)]
