# mistake: column-not-restored
# expect: already shuffled
def permutation_importance(model, X, y, scorer, n_repeats=5, seed=0):
    rng = np.random.default_rng(seed)
    n, d = X.shape
    base = scorer(model, X, y)
    work = X.copy()
    out = np.empty((d, n_repeats))
    for j in range(d):
        for r in range(n_repeats):
            work[:, j] = work[rng.permutation(n), j]
            out[j, r] = base - scorer(model, work, y)
    return out
