# mistake: eps-outside-sqrt
# expect: eps belongs inside the square root
class BatchNorm1d(nn.Module):
    # other names, plain-attribute running statistics, torch.var_mean
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(num_features))
        self.beta = nn.Parameter(torch.zeros(num_features))
        self.mu = torch.zeros(num_features)
        self.sigma2 = torch.ones(num_features)
        self.eps, self.m = eps, momentum

    def forward(self, x):
        if self.training:
            var, mean = torch.var_mean(x, dim=0, correction=0)
            n = x.size(0)
            self.mu = ((1 - self.m) * self.mu + self.m * mean).detach()
            self.sigma2 = ((1 - self.m) * self.sigma2 + self.m * var * n / (n - 1)).detach()
        else:
            mean, var = self.mu, self.sigma2
        x_hat = (x - mean) / (var.sqrt() + self.eps)
        return self.gamma * x_hat + self.beta
