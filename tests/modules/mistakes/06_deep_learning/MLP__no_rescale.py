# mistake: no-rescale
# expect: not rescaled
class MLP(nn.Module):
    def __init__(self, in_dim, hidden, out_dim, p_drop=0.5):
        super().__init__()
        self.fc1, self.fc2, self.p = nn.Linear(in_dim, hidden), nn.Linear(hidden, out_dim), p_drop

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        if self.training:
            h = h * (torch.rand_like(h) >= self.p)
        return self.fc2(h)
