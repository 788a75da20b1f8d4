def fit(model, train_loader, val_loader, optimizer, loss_fn, max_epochs=100, patience=5):
    # keeps a deep copy of the whole model; counts epochs since the best one
    history = {"train_loss": [], "val_loss": []}
    best_model, best_val, best_epoch = copy.deepcopy(model), math.inf, 0
    for epoch in range(1, max_epochs + 1):
        history["train_loss"].append(train_epoch(model, train_loader, optimizer, loss_fn))
        val, _ = evaluate(model, val_loader, loss_fn)
        history["val_loss"].append(val)
        if val < best_val:
            best_val, best_epoch, best_model = val, epoch, copy.deepcopy(model)
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_model.state_dict())
    return history
