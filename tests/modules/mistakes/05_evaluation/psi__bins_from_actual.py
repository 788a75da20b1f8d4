# mistake: bins-from-actual
# expect: the edges are the quantiles of `expected`
def psi(expected, actual, n_bins=10):
    expected, actual = np.asarray(expected, dtype=float), np.asarray(actual, dtype=float)
    inner = np.quantile(actual, np.linspace(0, 1, n_bins + 1)[1:-1])

    def shares(x):
        return np.maximum(np.bincount(np.searchsorted(inner, x, side="right"), minlength=n_bins) / len(x), 1e-6)

    e, a = shares(expected), shares(actual)
    return float(np.sum((a - e) * np.log(a / e)))
