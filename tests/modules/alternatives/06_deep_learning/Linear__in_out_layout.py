class Linear(nn.Module):
    # weight stored as (in, out), drawn with nn.init; addmm-style forward for any leading dims
    def __init__(self, in_features, out_features):
        super().__init__()
        bound = in_features ** -0.5
        self.W = nn.Parameter(nn.init.uniform_(torch.empty(in_features, out_features), -bound, bound))
        self.b = nn.Parameter(nn.init.uniform_(torch.empty(out_features), -bound, bound))

    def forward(self, x):
        return torch.matmul(x, self.W) + self.b
