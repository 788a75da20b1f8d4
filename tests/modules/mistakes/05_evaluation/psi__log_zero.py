# mistake: log-of-zero
# expect: gave log(0)
def psi(expected, actual, n_bins=10):
    expected, actual = np.asarray(expected, dtype=float), np.asarray(actual, dtype=float)
    inner = np.quantile(expected, np.linspace(0, 1, n_bins + 1)[1:-1])
    e = np.bincount(np.searchsorted(inner, expected, side="right"), minlength=n_bins) / len(expected)
    a = np.bincount(np.searchsorted(inner, actual, side="right"), minlength=n_bins) / len(actual)
    with np.errstate(all="ignore"):
        return float(np.sum((a - e) * np.log(a / e)))
