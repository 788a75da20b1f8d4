# mistake: eps-in-denominator
# expect: a constant such as 1e-10
def pairwise_cosine(A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    na = np.linalg.norm(A, axis=1, keepdims=True)
    nb = np.linalg.norm(B, axis=1, keepdims=True)
    return (A @ B.T) / (na * nb.T + 1e-10)     # the epsilon keeps zero rows at 0
