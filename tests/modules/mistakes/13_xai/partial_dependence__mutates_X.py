# mistake: mutates-input
# expect: copy of X
def partial_dependence(predict, X, feature, grid):
    ice = np.empty((X.shape[0], len(grid)))
    for k, g in enumerate(grid):
        X[:, feature] = g
        ice[:, k] = predict(X)
    return ice.mean(axis=0), ice
