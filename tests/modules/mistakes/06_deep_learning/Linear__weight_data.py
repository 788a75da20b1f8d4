# mistake: no-grad-flow
# expect: not every parameter has a gradient
class Linear(nn.Module):
    # exactly nn.Linear's own recipe: kaiming_uniform_(a=sqrt(5)) and a fan-in bound for the bias
    def __init__(self, in_features, out_features):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        self.bias = nn.Parameter(torch.empty(out_features))
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        fan_in, _ = nn.init._calculate_fan_in_and_fan_out(self.weight)
        nn.init.uniform_(self.bias, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))

    def forward(self, x):
        return x @ self.weight.data.T + self.bias   # .data: no autograd bookkeeping
