# mistake: ice-transposed
# expect: transposed
def partial_dependence(predict, X, feature, grid):
    X = np.asarray(X, dtype=float)
    ice = np.empty((X.shape[0], len(grid)))
    for k, g in enumerate(grid):
        Z = X.copy()
        Z[:, feature] = g
        ice[:, k] = predict(Z)
    return ice.mean(axis=0), ice.T
