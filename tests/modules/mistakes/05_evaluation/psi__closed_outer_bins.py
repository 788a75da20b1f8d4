# mistake: closed-outer-bins
# expect: the outer bins are open
def psi(expected, actual, n_bins=10):
    expected, actual = np.asarray(expected, dtype=float), np.asarray(actual, dtype=float)
    edges = np.quantile(expected, np.linspace(0, 1, n_bins + 1))
    e = np.maximum(np.histogram(expected, edges)[0] / len(expected), 1e-6)
    a = np.maximum(np.histogram(actual, edges)[0] / len(actual), 1e-6)      # values outside are lost
    return float(np.sum((a - e) * np.log(a / e)))
