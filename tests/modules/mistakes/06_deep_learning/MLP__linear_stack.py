# mistake: no-relu
# expect: no ReLU between the two layers
class MLP(nn.Module):
    # the learner's own Linear, and F.dropout told about the mode
    def __init__(self, in_dim, hidden, out_dim, p_drop=0.5):
        super().__init__()
        self.hidden_layer = Linear(in_dim, hidden)
        self.output_layer = Linear(hidden, out_dim)
        self.p_drop = p_drop

    def forward(self, x):
        h = self.hidden_layer(x)
        h = F.dropout(h, p=self.p_drop, training=self.training)
        return self.output_layer(h)
