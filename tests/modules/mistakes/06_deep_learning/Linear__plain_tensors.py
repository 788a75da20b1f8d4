# mistake: plain-tensors
# expect: nn.Parameter
class Linear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        bound = 1.0 / math.sqrt(in_features)
        self.weight = torch.empty(out_features, in_features).uniform_(-bound, bound).requires_grad_()
        self.bias = torch.empty(out_features).uniform_(-bound, bound).requires_grad_()

    def forward(self, x):
        return x @ self.weight.T + self.bias
