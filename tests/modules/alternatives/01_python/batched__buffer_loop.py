def batched(iterable, n):
    """A plain loop over the items with a fresh list per batch."""
    if n < 1:
        raise ValueError("n must be positive")
    return _gen(iterable, n)           # raises at call time, then a generator


def _gen(iterable, n):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == n:
            yield batch
            batch = []
    if batch:
        yield batch
