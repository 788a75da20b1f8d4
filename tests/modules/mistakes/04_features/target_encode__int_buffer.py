# mistake: not-float
# expect: return floats
from sklearn.model_selection import KFold


def target_encode(train, test, col, target, n_splits=5, smoothing=20.0, seed=0):
    """Categories as integer codes; sums and counts with np.bincount."""
    categories, codes = np.unique(train[col].to_numpy(dtype=str), return_inverse=True)
    y = train[target].to_numpy(dtype=float)
    k = len(categories)

    def table(rows):
        sums = np.bincount(codes[rows], weights=y[rows], minlength=k)
        counts = np.bincount(codes[rows], minlength=k)
        prior = y[rows].mean()
        return (sums + smoothing * prior) / (counts + smoothing)

    encoded = np.zeros_like(codes)
    for fit_rows, held_rows in KFold(n_splits=n_splits, shuffle=True, random_state=seed).split(np.zeros(len(y))):
        encoded[held_rows] = table(fit_rows)[codes[held_rows]]
    full = table(np.arange(len(y)))
    lookup = dict(zip(categories, full))
    prior = y.mean()
    test_values = [lookup.get(v, prior) for v in test[col].to_numpy(dtype=str)]
    return [pd.Series(encoded, index=train.index), pd.Series(test_values, index=test.index, dtype=float)]
