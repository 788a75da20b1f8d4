# mistake: trailing-empty-batch
# expect: you yielded an empty list at the end
from itertools import islice


def batched(iterable, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    it = iter(iterable)
    while True:
        batch = list(islice(it, n))
        yield batch
        if len(batch) < n:
            return
