# mistake: no-centring
# expect: did not centre
def pca(X, k):
    X = np.asarray(X, dtype=float)
    _, s, Vt = np.linalg.svd(X, full_matrices=False)
    C = Vt[:k]
    signs = np.sign(C[np.arange(k), np.abs(C).argmax(1)])
    C = C * signs[:, None]
    return C, s[:k] ** 2 / np.sum(s ** 2), X @ C.T
