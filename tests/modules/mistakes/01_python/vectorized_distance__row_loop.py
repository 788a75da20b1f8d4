# mistake: python-loops
# expect: also a loop over the rows of A with a vectorised body
import numpy as np


def vectorized_distance(A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    out = np.empty((len(A), len(B)))
    for i, a in enumerate(A):
        out[i] = np.sqrt(((B - a) ** 2).sum(axis=1))
    return out
