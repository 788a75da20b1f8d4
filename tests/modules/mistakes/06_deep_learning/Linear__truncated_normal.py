# mistake: init-distribution
# expect: not spread uniformly
class Linear(nn.Module):
    # exactly nn.Linear's own recipe: kaiming_uniform_(a=sqrt(5)) and a fan-in bound for the bias
    def __init__(self, in_features, out_features):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        self.bias = nn.Parameter(torch.empty(out_features))
        bound = 1 / math.sqrt(in_features)
        nn.init.trunc_normal_(self.weight, std=bound / 2, a=-bound, b=bound)
        nn.init.trunc_normal_(self.bias, std=bound / 2, a=-bound, b=bound)

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)
