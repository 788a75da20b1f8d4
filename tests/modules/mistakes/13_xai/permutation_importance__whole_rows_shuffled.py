# mistake: ignored-not-zero
# expect: exactly 0
def permutation_importance(model, X, y, scorer, n_repeats=5, seed=0):
    rng = np.random.default_rng(seed)
    n, d = X.shape
    base = scorer(model, X, y)
    out = np.empty((d, n_repeats))
    for j in range(d):
        for r in range(n_repeats):
            perm = rng.permutation(n)
            out[j, r] = base - scorer(model, X[perm], y)
    return out
