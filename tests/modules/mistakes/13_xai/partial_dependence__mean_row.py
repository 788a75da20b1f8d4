# mistake: pd-at-mean-row
# expect: mean row
def partial_dependence(predict, X, feature, grid):
    X = np.asarray(X, dtype=float)
    ice = np.empty((X.shape[0], len(grid)))
    pd = np.empty(len(grid))
    for k, g in enumerate(grid):
        Z = X.copy()
        Z[:, feature] = g
        ice[:, k] = predict(Z)
        row = X.mean(axis=0, keepdims=True)
        row[:, feature] = g
        pd[k] = predict(row)[0]
    return pd, ice
