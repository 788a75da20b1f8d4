# mistake: dropout-in-eval
# expect: training=self.training
class MLP(nn.Module):
    def __init__(self, in_dim, hidden, out_dim, p_drop=0.5):
        super().__init__()
        self.fc1, self.fc2, self.p = nn.Linear(in_dim, hidden), nn.Linear(hidden, out_dim), p_drop

    def forward(self, x):
        return self.fc2(F.dropout(torch.relu(self.fc1(x)), self.p))
