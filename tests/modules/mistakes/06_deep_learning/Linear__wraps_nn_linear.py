# mistake: blocked-call
# expect: implement it yourself
class Linear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.inner = nn.Linear(in_features, out_features)

    def forward(self, x):
        return self.inner(x)
