# mistake: p-ignored
# expect: p_drop=0.2
class MLP(nn.Module):
    def __init__(self, in_dim, hidden, out_dim, p_drop=0.5):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU(), nn.Dropout(0.5), nn.Linear(hidden, out_dim))

    def forward(self, x):
        return self.net(x)
