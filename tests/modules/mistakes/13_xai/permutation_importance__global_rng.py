# mistake: global-rng
# expect: global random state
def permutation_importance(model, X, y, scorer, n_repeats=5, seed=0):
    np.random.seed(seed)
    n, d = X.shape
    base = scorer(model, X, y)
    out = np.empty((d, n_repeats))
    for j in range(d):
        for r in range(n_repeats):
            Xp = X.copy()
            Xp[:, j] = X[np.random.permutation(n), j]
            out[j, r] = base - scorer(model, Xp, y)
    return out
