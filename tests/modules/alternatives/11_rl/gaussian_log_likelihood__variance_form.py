def gaussian_log_likelihood(x, mu, log_std):
    """Per-dimension terms with the variance written out, then summed over the action axis."""
    var = torch.exp(2 * log_std)
    d = x.shape[-1]
    quad = torch.sum(torch.square(x - mu) / var, dim=-1)
    log_det = torch.sum(2 * log_std.expand_as(x), dim=-1)
    return -0.5 * (quad + log_det + d * math.log(2 * math.pi))
