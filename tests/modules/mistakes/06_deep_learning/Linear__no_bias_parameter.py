# mistake: parameters
# expect: expected exactly two parameters
class Linear(nn.Module):
    # exactly nn.Linear's own recipe: kaiming_uniform_(a=sqrt(5)) and a fan-in bound for the bias
    def __init__(self, in_features, out_features):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))

    def forward(self, x):
        return F.linear(x, self.weight)
