# mistake: sequences-only
# expect: your batched needs a sequence
def batched(iterable, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    for start in range(0, len(iterable), n):
        yield list(iterable[start:start + n])
