# mistake: log-std-as-std
# expect: as the standard deviation
def gaussian_log_likelihood(x, mu, log_std):
    """log N(x; mu, exp(log_std)^2) summed over the last axis."""
    std = log_std
    return (-0.5 * ((x - mu) / std) ** 2 - torch.log(std) - 0.5 * math.log(2 * math.pi)).sum(dim=-1)
