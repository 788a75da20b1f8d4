# mistake: output-shape
# expect: (N, 10) class scores
class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 10, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


def train_digits(X_train, y_train, seed=0):
    return DigitsCNN().eval()
