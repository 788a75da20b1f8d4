# mistake: blocked-call
# expect: implement it yourself
def gaussian_log_likelihood(x, mu, log_std):
    return torch.distributions.Normal(mu, log_std.exp()).log_prob(x).sum(-1)
