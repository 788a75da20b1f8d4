# mistake: no-intercept
# expect: no intercept
def ridge_fit(X, y, alpha):
    w = np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y)
    return w, 0.0
