# mistake: forgot-sqrt
# expect: these are squared distances
import numpy as np


def vectorized_distance(A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    return np.maximum((A ** 2).sum(1)[:, None] + (B ** 2).sum(1)[None, :] - 2 * A @ B.T, 0)
