# mistake: step-inside-autocast
# expect: inside the autocast block
def bf16_train_step(model, loss_fn, optimizer, x, y):
    """One training step with the forward under CPU bfloat16 autocast; returns the loss as a Python float."""
    optimizer.zero_grad()
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    return float(loss.item())
