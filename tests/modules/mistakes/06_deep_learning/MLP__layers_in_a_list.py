# mistake: parameters
# expect: registered as parameters
class MLP(nn.Module):
    # the learner's own Linear, and F.dropout told about the mode
    def __init__(self, in_dim, hidden, out_dim, p_drop=0.5):
        super().__init__()
        self.layers = [Linear(in_dim, hidden), Linear(hidden, out_dim)]     # a plain list
        self.p_drop = p_drop

    def forward(self, x):
        h = F.relu(self.layers[0](x))
        h = F.dropout(h, p=self.p_drop, training=self.training)
        return self.layers[1](h)
