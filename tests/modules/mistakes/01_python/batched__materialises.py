# mistake: materialises-input
# expect: you read the whole input before yielding anything
def batched(iterable, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    items = list(iterable)
    for start in range(0, len(items), n):
        yield items[start:start + n]
