# mistake: not-a-module
# expect: not an nn.Module
class MLP:
    # the learner's own Linear, and F.dropout told about the mode
    def __init__(self, in_dim, hidden, out_dim, p_drop=0.5):
        self.hidden_layer = Linear(in_dim, hidden)
        self.output_layer = Linear(hidden, out_dim)
        self.p_drop = p_drop

    training = True

    def train(self, mode=True):
        self.training = mode
        return self

    def eval(self):
        return self.train(False)

    def parameters(self):
        return [*self.hidden_layer.parameters(), *self.output_layer.parameters()]

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):
        h = F.relu(self.hidden_layer(x))
        h = F.dropout(h, p=self.p_drop, training=self.training)
        return self.output_layer(h)
