import numpy as np


def vectorized_distance(A, B):
    A = np.array(A, dtype=np.float64, ndmin=2)
    B = np.array(B, dtype=np.float64, ndmin=2)
    a2 = np.einsum("ij,ij->i", A, A)
    b2 = np.einsum("ij,ij->i", B, B)
    d2 = np.add.outer(a2, b2)
    d2 -= 2 * A.dot(B.T)
    np.clip(d2, 0, None, out=d2)
    return np.sqrt(d2)
