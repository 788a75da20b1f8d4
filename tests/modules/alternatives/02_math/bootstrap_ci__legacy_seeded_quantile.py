def bootstrap_ci(x, stat, n_boot=2000, alpha=0.05, seed=0):
    rs = np.random.RandomState(seed)
    x = np.asarray(x)
    values = np.empty(n_boot)
    for b in range(n_boot):
        values[b] = stat(x[rs.randint(0, len(x), size=len(x))])
    return [float(np.quantile(values, alpha / 2, method="lower")),
            float(np.quantile(values, 1 - alpha / 2, method="higher"))]
