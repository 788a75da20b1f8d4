# mistake: int-buffer
# expect: stored in an array of x's integer dtype
def bootstrap_ci(x, stat, n_boot=2000, alpha=0.05, seed=0):
    x = np.asarray(x)
    rng = np.random.default_rng(seed)
    stats = np.empty(n_boot, dtype=x.dtype)
    for b in range(n_boot):
        stats[b] = stat(x[rng.integers(0, len(x), size=len(x))])
    return tuple(np.percentile(stats, [100 * alpha / 2, 100 * (1 - alpha / 2)]))
