# mistake: 3d-broadcast
# expect: builds an (n, m, d) array
import numpy as np


def vectorized_distance(A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    return np.sqrt(((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2))
