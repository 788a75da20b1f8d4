# mistake: no-autocast
# expect: not bfloat16
def bf16_train_step(model, loss_fn, optimizer, x, y):
    """One training step with the forward under CPU bfloat16 autocast; returns the loss as a Python float."""
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()                            # outside autocast; the weights stay float32
    optimizer.step()
    return float(loss.item())
