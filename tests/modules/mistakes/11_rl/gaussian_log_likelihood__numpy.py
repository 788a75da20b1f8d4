# mistake: no-grad-flow
# expect: carries no gradient
def gaussian_log_likelihood(x, mu, log_std):
    x, mu, log_std = (t.detach().numpy() for t in (x, mu, log_std))
    z = (x - mu) / np.exp(log_std)
    return torch.as_tensor((-0.5 * z ** 2 - log_std - 0.5 * np.log(2 * np.pi)).sum(-1))
