# mistake: uneven-folds
# expect: fold sizes
def stratified_kfold(y, n_splits=5, shuffle=True, seed=0):
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    n = len(y)
    tests = [[] for _ in range(n_splits)]
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        if shuffle:
            members = rng.permutation(members)
        for k, part in enumerate(np.array_split(members, n_splits)):   # every class's leftovers go to fold 0
            tests[k].extend(part.tolist())
    return [(np.setdiff1d(np.arange(n), t), np.sort(t)) for t in map(np.array, tests)]


def time_series_split(n, n_splits, gap=0):
    m = n // (n_splits + 1)
    return [(np.arange(0, n - (n_splits - k) * m - gap), np.arange(n - (n_splits - k) * m, n - (n_splits - k - 1) * m))
            for k in range(n_splits)]
