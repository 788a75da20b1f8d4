# mistake: own-optimizer
# expect: not through the optimizer you were given
def train_epoch(model, loader, optimizer, loss_fn):
    model.train()
    mine = torch.optim.SGD(model.parameters(), lr=0.01)
    total, count = 0.0, 0
    for xb, yb in loader:
        mine.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        mine.step()
        total += loss.item() * len(xb)
        count += len(xb)
    return total / count
