# mistake: one-pass-variance
# expect: catastrophic cancellation
def gaussian_mle(x):
    x = np.asarray(x, dtype=float)
    mu = x.mean()
    return mu, np.mean(x ** 2) - mu ** 2


def gaussian_log_likelihood(x, mu, var):
    x = np.asarray(x, dtype=float)
    return float(np.sum(-0.5 * np.log(2 * np.pi * var) - (x - mu) ** 2 / (2 * var)))
