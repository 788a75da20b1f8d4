# mistake: alpha-not-halved
# expect: alpha/2 in each tail
def bootstrap_ci(x, stat, n_boot=2000, alpha=0.05, seed=0):
    rng = np.random.default_rng(seed)
    stats = [stat(rng.choice(x, size=len(x), replace=True)) for _ in range(n_boot)]
    return tuple(np.percentile(stats, [100 * alpha, 100 * (1 - alpha)]))
