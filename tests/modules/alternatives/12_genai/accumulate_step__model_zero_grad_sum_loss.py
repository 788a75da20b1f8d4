def accumulate_step(model, loss_fn, optimizer, X, y, micro_batch_size):
    model.zero_grad(set_to_none=True)
    N = X.shape[0]
    running = torch.zeros((), dtype=torch.float64)
    for xb, yb in zip(torch.split(X, micro_batch_size), torch.split(y, micro_batch_size)):
        part = loss_fn(model(xb), yb) * xb.shape[0]
        (part / N).backward()
        running += part.detach()
    optimizer.step()
    return running / N          # a 0-d tensor is accepted as the number
