# mistake: model-to-bf16
# expect: no longer float32
def bf16_train_step(model, loss_fn, optimizer, x, y):
    model.to(torch.bfloat16)
    optimizer.zero_grad()
    loss = loss_fn(model(x.to(torch.bfloat16)), y)
    loss.backward()
    optimizer.step()
    return loss.item()
