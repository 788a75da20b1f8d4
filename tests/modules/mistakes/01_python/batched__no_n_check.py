# mistake: n-not-validated
# expect: for n < 1 your batched did not raise ValueError
from itertools import islice


def batched(iterable, n):
    it = iter(iterable)
    while batch := list(islice(it, n)):
        yield batch
