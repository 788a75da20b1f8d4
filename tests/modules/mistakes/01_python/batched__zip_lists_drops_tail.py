# mistake: drops-tail
# expect: your last, shorter batch is missing
def batched(iterable, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    it = iter(iterable)
    for group in zip(*[it] * n):
        yield list(group)
