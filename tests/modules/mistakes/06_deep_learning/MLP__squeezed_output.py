# mistake: squeezed-output
# expect: your output lost an axis of length 1
class MLP(nn.Module):
    # scores squeezed "for convenience": one sample or one output loses its axis
    def __init__(self, in_dim, hidden, out_dim, p_drop=0.5):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU(), nn.Dropout(p_drop), nn.Linear(hidden, out_dim))

    def forward(self, x):
        return self.net(x).squeeze()
