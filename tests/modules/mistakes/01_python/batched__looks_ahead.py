# mistake: pulls-ahead
# expect: you pulled more items from the input than the batches you had yielded so far needed
_END = object()


def batched(iterable, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    it = iter(iterable)
    nxt = next(it, _END)
    while nxt is not _END:
        batch = []
        while nxt is not _END and len(batch) < n:
            batch.append(nxt)
            nxt = next(it, _END)          # peeks one item past the batch
        yield batch
