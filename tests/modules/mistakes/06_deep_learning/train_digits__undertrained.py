# mistake: low-accuracy
# expect: the target is 97%
class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 64, 10))

    def forward(self, x):
        return self.net(x)


def train_digits(X_train, y_train, seed=0):
    torch.manual_seed(seed)
    model = DigitsCNN()
    X, y = torch.as_tensor(X_train), torch.as_tensor(y_train)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for idx in torch.randperm(len(X)).split(64):
        optimizer.zero_grad()
        F.cross_entropy(model(X[idx]), y[idx]).backward()
        optimizer.step()
    return model.eval()
