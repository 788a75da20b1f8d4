# mistake: ddof-1
# expect: ddof=0
def gaussian_mle(x):
    return np.mean(x), np.var(x, ddof=1)


def gaussian_log_likelihood(x, mu, var):
    x = np.asarray(x, dtype=float)
    return float(np.sum(-0.5 * np.log(2 * np.pi * var) - (x - mu) ** 2 / (2 * var)))
