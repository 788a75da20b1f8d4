# mistake: drops-none-items
# expect: items that are `None` went missing
from itertools import zip_longest


def batched(iterable, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    it = iter(iterable)
    for group in zip_longest(*[it] * n):
        yield [x for x in group if x is not None]
