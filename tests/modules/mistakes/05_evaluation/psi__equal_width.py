# mistake: uniform-width-bins
# expect: you used equal-width bins
def psi(expected, actual, n_bins=10):
    expected, actual = np.asarray(expected, dtype=float), np.asarray(actual, dtype=float)
    inner = np.linspace(expected.min(), expected.max(), n_bins + 1)[1:-1]

    def shares(x):
        return np.maximum(np.bincount(np.searchsorted(inner, x, side="right"), minlength=n_bins) / len(x), 1e-6)

    e, a = shares(expected), shares(actual)
    return float(np.sum((a - e) * np.log(a / e)))
