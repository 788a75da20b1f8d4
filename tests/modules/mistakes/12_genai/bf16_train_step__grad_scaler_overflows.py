# mistake: step-skipped
# expect: GradScaler
def bf16_train_step(model, loss_fn, optimizer, x, y):
    scaler = torch.amp.GradScaler("cpu", init_scale=float("inf"))   # a scale that overflows
    optimizer.zero_grad()
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        loss = loss_fn(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()
