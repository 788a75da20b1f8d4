# mistake: missing-2pi
# expect: log(2 pi)
def gaussian_mle(x):
    return np.mean(x), np.var(x)


def gaussian_log_likelihood(x, mu, var):
    return -0.5 * np.sum(np.log(var) + (x - mu) ** 2 / var)
