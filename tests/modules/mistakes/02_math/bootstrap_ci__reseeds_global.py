# mistake: global-rng
# expect: global random state
def bootstrap_ci(x, stat, n_boot=2000, alpha=0.05, seed=0):
    np.random.seed(seed)                  # reproducible, but it resets the caller's global generator
    x = np.asarray(x)
    stats = [stat(x[np.random.randint(0, len(x), len(x))]) for _ in range(n_boot)]
    return tuple(np.percentile(stats, [100 * alpha / 2, 100 * (1 - alpha / 2)]))
