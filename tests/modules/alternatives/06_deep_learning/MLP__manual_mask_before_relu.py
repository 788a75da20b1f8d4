class MLP(nn.Module):
    # inverted dropout by hand, applied before the ReLU (the same thing: relu(m*z/(1-p)) = m*relu(z)/(1-p))
    def __init__(self, in_dim, hidden, out_dim, p_drop=0.5):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(in_dim, hidden), nn.Linear(hidden, out_dim)])
        self.p = p_drop

    def forward(self, x):
        z = self.layers[0](x)
        if self.training and self.p > 0:
            keep = torch.bernoulli(torch.full_like(z, 1 - self.p))
            z = z * keep / (1 - self.p)
        return self.layers[1](torch.relu(z))
