# mistake: init-bounds
# expect: beyond nn.Linear's bound
class Linear(nn.Module):
    # exactly nn.Linear's own recipe: kaiming_uniform_(a=sqrt(5)) and a fan-in bound for the bias
    def __init__(self, in_features, out_features):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        self.bias = nn.Parameter(torch.empty(out_features))
        nn.init.uniform_(self.weight, -1.0, 1.0)
        nn.init.uniform_(self.bias, -1.0, 1.0)

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)
