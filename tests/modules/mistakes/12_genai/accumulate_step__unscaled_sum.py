# mistake: unscaled-sum
# expect: without scaling
def accumulate_step(model, loss_fn, optimizer, X, y, micro_batch_size):
    """One optimizer step on the full batch's gradients, computed in micro-batches; the full-batch mean loss."""
    optimizer.zero_grad()                      # whatever .grad held before the call is discarded
    n, total = len(X), 0.0
    for i in range(0, n, micro_batch_size):
        xb, yb = X[i:i + micro_batch_size], y[i:i + micro_batch_size]
        loss = loss_fn(model(xb), yb)
        loss.backward()      # weight by size: the last micro-batch may be shorter
        total += loss.item() * len(xb)
    optimizer.step()
    return total / n
