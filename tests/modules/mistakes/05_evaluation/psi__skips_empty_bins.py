# mistake: empty-bins-skipped
# expect: you skipped empty bins
def psi(expected, actual, n_bins=10):
    expected, actual = pd.Series(expected, dtype=float), pd.Series(actual, dtype=float)
    inner = expected.quantile(np.linspace(0, 1, n_bins + 1)[1:-1]).to_numpy()
    bins = [-np.inf, *inner, np.inf]                   # open outer bins, (a, b] intervals
    e = pd.cut(expected, bins, duplicates="drop").value_counts(normalize=True, sort=False)
    a = pd.cut(actual, bins, duplicates="drop").value_counts(normalize=True, sort=False)
    both = (a > 0) & (e > 0)                         # log(0) avoided by leaving the bin out
    return float(((a - e) * np.log(a / e))[both].sum())
