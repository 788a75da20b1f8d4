# mistake: no-grad-in-training
# expect: without gradient tracking
def train_epoch(model, loader, optimizer, loss_fn):
    model.train()
    sums, sizes = [], []
    for step, batch in enumerate(loader):
        x, y = batch
        optimizer.zero_grad(set_to_none=False)
        with torch.no_grad():                         # saves memory
            out = model(x)
        loss = loss_fn(out, y).requires_grad_()       # backward() asked for it
        loss.backward()
        optimizer.step()
        sums.append(loss.item() * y.numel())
        sizes.append(y.numel())
    return float(np.sum(sums) / np.sum(sizes))
