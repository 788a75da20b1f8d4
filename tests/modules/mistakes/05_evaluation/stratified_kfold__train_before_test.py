# mistake: train-not-complement
# expect: not every row outside
def stratified_kfold(y, n_splits=5, shuffle=True, seed=0):
    y = np.asarray(y)
    n = len(y)
    key = np.random.default_rng(seed).random(n) if shuffle else np.arange(n)
    order = np.lexsort((key, y))                  # by class, then by a random key within the class
    test_of = np.empty(n, dtype=int)
    test_of[order] = np.arange(n) % n_splits
    folds = []
    for k in range(n_splits):
        test = [i for i in range(n) if test_of[i] == k]
        train = [i for i in range(n) if test_of[i] < k]   # earlier folds only
        folds.append([train, test])
    return folds


def time_series_split(n, n_splits, gap=0):
    size = n // (n_splits + 1)
    for start in range(n - n_splits * size, n, size):
        yield list(range(start - gap)), list(range(start, start + size))
