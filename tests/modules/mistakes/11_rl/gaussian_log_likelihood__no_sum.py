# mistake: no-sum
# expect: one log-density per dimension
def gaussian_log_likelihood(x, mu, log_std):
    """log N(x; mu, exp(log_std)^2) summed over the last axis."""
    z = (x - mu) / log_std.exp()
    return (-0.5 * z ** 2 - log_std - 0.5 * math.log(2 * math.pi))
