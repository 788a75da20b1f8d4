# mistake: patience-off-by-one
# expect: one epoch too many
def fit(model, train_loader, val_loader, optimizer, loss_fn, max_epochs=100, patience=5):
    history = {"train_loss": [], "val_loss": []}
    best, best_state, wait = float("inf"), copy.deepcopy(model.state_dict()), 0
    for _ in range(max_epochs):
        history["train_loss"].append(train_epoch(model, train_loader, optimizer, loss_fn))
        val_loss, _ = evaluate(model, val_loader, loss_fn)
        history["val_loss"].append(val_loss)
        if val_loss < best:
            best, best_state, wait = val_loss, copy.deepcopy(model.state_dict()), 0
        else:
            wait += 1
            if wait > patience:
                break
    model.load_state_dict(best_state)
    return history
