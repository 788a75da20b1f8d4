def ridge_fit(X, y, alpha):
    X = np.asarray(X, dtype=float)
    xm, ym = X.mean(axis=0), np.mean(y)
    Xc = X - xm
    d = X.shape[1]
    A = np.vstack([Xc, np.sqrt(alpha) * np.eye(d)])
    rhs = np.concatenate([y - ym, np.zeros(d)])
    w = np.linalg.lstsq(A, rhs, rcond=None)[0]
    return w, ym - xm @ w
