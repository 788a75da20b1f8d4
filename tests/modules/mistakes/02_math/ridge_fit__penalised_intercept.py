# mistake: penalised-intercept
# expect: only w is penalised
def ridge_fit(X, y, alpha):
    Xa = np.c_[np.ones(len(X)), X]
    theta = np.linalg.solve(Xa.T @ Xa + alpha * np.eye(Xa.shape[1]), Xa.T @ y)
    return theta[1:], theta[0]
