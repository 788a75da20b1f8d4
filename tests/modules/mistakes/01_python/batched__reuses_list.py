# mistake: reuses-list
# expect: you yielded the same list object for several batches
def batched(iterable, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    buf = []
    for item in iterable:
        buf.append(item)
        if len(buf) == n:
            yield buf
            buf.clear()
    if buf:
        yield buf
