# mistake: sign-convention
# expect: wrong signs
def pca(X, k):
    Xc = X - X.mean(0)
    vals, vecs = np.linalg.eigh(np.cov(Xc, rowvar=False))
    order = np.argsort(vals)[::-1][:k]
    C = -vecs[:, order].T
    return C, vals[order] / vals.sum(), Xc @ C.T
