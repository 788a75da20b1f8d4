# mistake: n-not-validated
# expect: for n < 1 you raised ZeroDivisionError
def batched(iterable, n):
    step = 1 // n if n < 1 else n         # n <= 0 is not checked: 1 // 0 fails
    buf = []
    for item in iterable:
        buf.append(item)
        if len(buf) == step:
            yield buf
            buf = []
    if buf:
        yield buf
