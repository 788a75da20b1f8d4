# mistake: without-replacement
# expect: with replacement
def bootstrap_ci(x, stat, n_boot=2000, alpha=0.05, seed=0):
    rng = np.random.default_rng(seed)
    stats = [stat(rng.permutation(x)) for _ in range(n_boot)]
    return tuple(np.percentile(stats, [100 * alpha / 2, 100 * (1 - alpha / 2)]))
