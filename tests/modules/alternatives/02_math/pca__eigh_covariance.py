def pca(X, k):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    cov = np.cov(X - mean, rowvar=False)
    eigvals, eigvecs = np.linalg.eigh(cov)
    order = np.argsort(eigvals)[::-1]
    eigvals, eigvecs = eigvals[order], eigvecs[:, order]
    components = eigvecs[:, :k].T.copy()
    for i, comp in enumerate(components):
        if comp[np.argmax(np.abs(comp))] < 0:
            components[i] = -comp
    return components, eigvals[:k] / eigvals.sum(), (X - mean) @ components.T
