# mistake: bias-batch-axis
# expect: your output gained an axis of length 1
class Linear(nn.Module):
    # the bias as a (1, out) row "to broadcast over the batch": a 1-D input then gets a batch axis
    def __init__(self, in_features, out_features):
        super().__init__()
        bound = 1 / math.sqrt(in_features)
        self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(out_features).uniform_(-bound, bound))

    def forward(self, x):
        return x @ self.weight.T + self.bias.view(1, -1)
