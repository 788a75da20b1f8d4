def train_epoch(model, loader, optimizer, loss_fn):
    # zero the grads through the model, after each step; divide by the dataset's size
    model.train()
    device = next(model.parameters()).device
    running = torch.zeros((), dtype=torch.float64)
    for inputs, targets in loader:
        inputs, targets = inputs.to(device), targets.to(device)
        outputs = model(inputs)
        loss = loss_fn(outputs, targets)
        loss.backward()
        optimizer.step()
        model.zero_grad(set_to_none=True)
        running += loss.detach().double() * inputs.shape[0]
    return (running / len(loader.dataset)).item()
