# mistake: steps-per-batch
# expect: take one step per batch
def train_epoch(model, loader, optimizer, loss_fn):
    model.train()
    sums, sizes = [], []
    for step, batch in enumerate(loader):
        x, y = batch
        optimizer.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), y)
        loss.backward()
        sums.append(loss.item() * y.numel())
        sizes.append(y.numel())
    optimizer.step()                                  # one update per epoch
    return float(np.sum(sums) / np.sum(sizes))
