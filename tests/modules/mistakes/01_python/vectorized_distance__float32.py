# expect: return float64 distances
import numpy as np


def vectorized_distance(A, B):
    A, B = np.asarray(A, dtype=np.float32), np.asarray(B, dtype=np.float32)
    sq = (A * A).sum(1)[:, None] + (B * B).sum(1)[None, :] - 2 * A @ B.T
    return np.sqrt(np.maximum(sq, 0))
