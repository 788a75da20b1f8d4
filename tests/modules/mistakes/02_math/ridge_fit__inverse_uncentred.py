# mistake: ill-conditioned
# expect: Centre X and y first
def ridge_fit(X, y, alpha):
    n, d = X.shape
    Xa = np.hstack([np.ones((n, 1)), X])
    P = alpha * np.eye(d + 1)
    P[0, 0] = 0.0
    theta = np.linalg.inv(Xa.T @ Xa + P) @ Xa.T @ y
    return theta[1:], theta[0]
