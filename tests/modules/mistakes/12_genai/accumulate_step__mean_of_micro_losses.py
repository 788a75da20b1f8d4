# mistake: loss-mean-of-means
# expect: weight each by its size
def accumulate_step(model, loss_fn, optimizer, X, y, micro_batch_size):
    optimizer.zero_grad()
    n = len(X)
    losses = []
    for i in range(0, n, micro_batch_size):
        xb, yb = X[i:i + micro_batch_size], y[i:i + micro_batch_size]
        loss = loss_fn(model(xb), yb)
        (loss * len(xb) / n).backward()
        losses.append(loss.item())
    optimizer.step()
    return sum(losses) / len(losses)
