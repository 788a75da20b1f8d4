# mistake: ratio-over-k
# expect: total variance
def pca(X, k):
    Xc = X - X.mean(0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    C = Vt[:k]
    signs = np.sign(C[np.arange(k), np.abs(C).argmax(1)])
    C = C * signs[:, None]
    return C, s[:k] ** 2 / np.sum(s[:k] ** 2), Xc @ C.T
