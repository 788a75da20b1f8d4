def bf16_train_step(model, loss_fn, optimizer, x, y):
    model.train()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        logits = model(x)
    loss = loss_fn(logits.float(), y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss.item()
