# mistake: yields-tuples
# expect: the contract asks for lists
def batched(iterable, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    it = iter(iterable)
    yield from zip(*[it] * n)
