# mistake: train-mode
# expect: call model.eval() before returning
class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                                 nn.Linear(16 * 16, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 10))

    def forward(self, x):
        return self.net(x)


def train_digits(X_train, y_train, seed=0):
    torch.manual_seed(seed)
    model = DigitsCNN()
    X, y = torch.as_tensor(X_train), torch.as_tensor(y_train)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(2):
        for idx in torch.randperm(len(X)).split(32):
            optimizer.zero_grad()
            F.cross_entropy(model(X[idx]), y[idx]).backward()
            optimizer.step()
    return model
