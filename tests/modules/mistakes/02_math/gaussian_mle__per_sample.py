# mistake: per-sample
# expect: one value per sample
def gaussian_mle(x):
    return np.mean(x), np.var(x)


def gaussian_log_likelihood(x, mu, var):
    return -0.5 * np.log(2 * np.pi * var) - (x - mu) ** 2 / (2 * var)
