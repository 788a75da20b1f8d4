# mistake: last-batch
# expect: the last batch's loss
def train_epoch(model, loader, optimizer, loss_fn):
    model.train()
    sums, sizes = [], []
    for step, batch in enumerate(loader):
        x, y = batch
        optimizer.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        sums.append(loss.item() * y.numel())
        sizes.append(y.numel())
    return loss.item()
