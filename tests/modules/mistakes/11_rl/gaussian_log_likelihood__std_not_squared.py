# mistake: std-not-squared
# expect: instead of the variance
def gaussian_log_likelihood(x, mu, log_std):
    """log N(x; mu, exp(log_std)^2) summed over the last axis."""
    return (-0.5 * (x - mu) ** 2 / log_std.exp() - log_std - 0.5 * math.log(2 * math.pi)).sum(dim=-1)
