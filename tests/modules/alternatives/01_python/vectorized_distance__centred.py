import numpy as np


def vectorized_distance(A, B):
    """Centre both sets on a common point first: the expansion then loses far less to round-off."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    centre = np.vstack([A, B]).mean(axis=0)
    A, B = A - centre, B - centre
    sq = np.square(np.linalg.norm(A, axis=1))[:, None] + np.square(np.linalg.norm(B, axis=1)) - 2 * A @ B.T
    return np.sqrt(np.where(sq > 0, sq, 0.0))
