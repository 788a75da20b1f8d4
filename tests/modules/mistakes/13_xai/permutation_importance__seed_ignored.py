# mistake: seed-ignored
# expect: different results
def permutation_importance(model, X, y, scorer, n_repeats=5, seed=0):
    rng = np.random.default_rng()
    n, d = X.shape
    base = scorer(model, X, y)
    out = np.empty((d, n_repeats))
    for j in range(d):
        for r in range(n_repeats):
            Xp = X.copy()
            Xp[:, j] = X[rng.permutation(n), j]
            out[j, r] = base - scorer(model, Xp, y)
    return out
