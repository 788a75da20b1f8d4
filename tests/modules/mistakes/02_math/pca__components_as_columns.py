# mistake: transposed
# expect: return them as rows
def pca(X, k):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    components = Vt[:k]
    signs = np.sign(components[np.arange(k), np.abs(components).argmax(axis=1)])
    components = components * signs[:, None]
    ratio = (s ** 2)[:k] / np.sum(s ** 2)
    return components.T, ratio, Xc @ components.T          # columns (d, k), as np.linalg.eigh gives them
