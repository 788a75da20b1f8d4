def ridge_fit(X, y, alpha):
    xm = X.mean(0)
    ym = y.mean()
    Xc = X - xm
    w = np.linalg.inv(Xc.T @ Xc + alpha * np.identity(X.shape[1])) @ (Xc.T @ (y - ym))
    return list(w), float(ym - xm.dot(w))
