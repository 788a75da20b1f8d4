def pairwise_cosine(A, B):
    nb = np.linalg.norm(B, axis=1)
    out = np.zeros((A.shape[0], B.shape[0]))
    for i, a in enumerate(A):
        na = np.linalg.norm(a)
        ok = (nb > 0) & (na > 0)
        out[i, ok] = (B[ok] @ a) / (na * nb[ok])
    return out
