# mistake: no-early-stopping
# expect: stop after `patience` epochs
def fit(model, train_loader, val_loader, optimizer, loss_fn, max_epochs=100, patience=5):
    # its own inner loops; best weights kept as cloned tensors; restored in place
    train_hist, val_hist = [], []
    best_loss, best_weights, bad_epochs = None, None, 0
    epoch = 0
    while epoch < max_epochs:
        epoch += 1
        model.train()
        total, n = 0.0, 0
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total, n = total + loss.item() * len(y), n + len(y)
        train_hist.append(total / n)
        model.eval()
        with torch.no_grad():
            vt, vn = 0.0, 0
            for x, y in val_loader:
                vt, vn = vt + loss_fn(model(x), y).item() * len(y), vn + len(y)
        val = vt / vn
        val_hist.append(val)
        if best_loss is None or val < best_loss:
            best_loss, bad_epochs = val, 0
            best_weights = {name: t.detach().clone() for name, t in model.state_dict().items()}
        else:
            bad_epochs += 1
    with torch.no_grad():
        for name, t in model.state_dict().items():
            t.copy_(best_weights[name])
    return {"train_loss": train_hist, "val_loss": val_hist}
