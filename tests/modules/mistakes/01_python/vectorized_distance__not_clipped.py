# mistake: negative-not-clipped
# expect: clip the squared distances at 0
import numpy as np


def vectorized_distance(A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    sq = (A ** 2).sum(1)[:, None] + (B ** 2).sum(1)[None, :] - 2 * A @ B.T
    return np.sqrt(sq)
