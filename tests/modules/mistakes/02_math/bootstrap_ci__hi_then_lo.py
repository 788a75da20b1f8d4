# mistake: swapped
# expect: your lo is above your hi
def bootstrap_ci(x, stat, n_boot=2000, alpha=0.05, seed=0):
    x = np.asarray(x)
    rng = np.random.default_rng(seed)
    stats = np.array([stat(x[rng.integers(0, len(x), size=len(x))]) for _ in range(n_boot)])
    lo, hi = np.percentile(stats, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return hi, lo
