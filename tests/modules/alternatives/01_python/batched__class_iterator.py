class batched:
    """An iterator class instead of a generator function."""

    def __init__(self, iterable, n):
        if n < 1:
            raise ValueError(n)
        self.it, self.n = iter(iterable), n

    def __iter__(self):
        return self

    def __next__(self):
        out = []
        for _ in range(self.n):
            try:
                out.append(next(self.it))
            except StopIteration:
                break
        if not out:
            raise StopIteration
        return out
