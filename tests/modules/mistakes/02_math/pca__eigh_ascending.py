# mistake: ascending-order
# expect: ascending order
def pca(X, k):
    Xc = X - X.mean(0)
    vals, vecs = np.linalg.eigh(Xc.T @ Xc)
    C = vecs[:, :k].T
    signs = np.sign(C[np.arange(k), np.abs(C).argmax(1)])
    C = C * signs[:, None]
    return C, vals[:k] / vals.sum(), Xc @ C.T
