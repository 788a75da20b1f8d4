# mistake: stale-gradients
# expect: start with optimizer.zero_grad()
def accumulate_step(model, loss_fn, optimizer, X, y, micro_batch_size):
    """One optimizer step on the full batch's gradients, computed in micro-batches; the full-batch mean loss."""
    n, total = len(X), 0.0
    for i in range(0, n, micro_batch_size):
        xb, yb = X[i:i + micro_batch_size], y[i:i + micro_batch_size]
        loss = loss_fn(model(xb), yb)
        (loss * (len(xb) / n)).backward()      # weight by size: the last micro-batch may be shorter
        total += loss.item() * len(xb)
    optimizer.step()
    return total / n
