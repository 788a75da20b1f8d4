class DigitsCNN(nn.Module):
    # conv -> batch norm -> pool twice, then a linear classifier
    def __init__(self, n_classes=10):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.head = nn.Linear(64, n_classes)

    def forward(self, x):
        return self.head(self.body(x).flatten(1))


def train_digits(X_train, y_train, seed=0):
    # reuses set_seed, train_epoch and warmup_cosine from earlier cells
    set_seed(seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = DigitsCNN().to(device)
    data = TensorDataset(torch.from_numpy(X_train), torch.from_numpy(y_train))
    loader = DataLoader(data, batch_size=64, shuffle=True)
    epochs = 15
    optimizer = torch.optim.AdamW(model.parameters(), lr=1.0, weight_decay=1e-4)
    total = epochs * len(loader)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: warmup_cosine(s, total, len(loader), 5e-3))
    for _ in range(epochs):
        train_epoch(model, loader, optimizer, nn.CrossEntropyLoss())
        for _ in range(len(loader)):
            schedule.step()
    model.eval()
    return model
