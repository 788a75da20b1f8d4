# mistake: divided-by-micro-batch-count
# expect: last micro-batch is shorter
def accumulate_step(model, loss_fn, optimizer, X, y, micro_batch_size):
    optimizer.zero_grad()
    starts = range(0, len(X), micro_batch_size)
    losses = []
    for i in starts:
        loss = loss_fn(model(X[i:i + micro_batch_size]), y[i:i + micro_batch_size]) / len(starts)
        loss.backward()
        losses.append(loss.item())
    optimizer.step()
    return sum(losses)
