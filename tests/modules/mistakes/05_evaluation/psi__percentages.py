# mistake: percent-not-fraction
# expect: 100 times too large
def psi(expected, actual, n_bins=10):
    expected, actual = pd.Series(expected, dtype=float), pd.Series(actual, dtype=float)
    inner = expected.quantile(np.linspace(0, 1, n_bins + 1)[1:-1]).to_numpy()
    bins = [-np.inf, *inner, np.inf]                   # open outer bins, (a, b] intervals
    e = pd.cut(expected, bins, duplicates="drop").value_counts(normalize=True, sort=False).clip(lower=1e-6)
    a = pd.cut(actual, bins, duplicates="drop").value_counts(normalize=True, sort=False).clip(lower=1e-6)
    a, e = 100 * a, 100 * e                          # in percent
    return float(((a - e) * np.log(a / e)).sum())
