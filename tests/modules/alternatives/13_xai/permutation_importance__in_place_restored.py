def permutation_importance(model, X, y, scorer, n_repeats=5, seed=0):
    """Shuffles X's column in place and puts it back each time: X ends bit-for-bit unchanged."""
    rng = np.random.default_rng(seed)
    base = scorer(model, X, y)
    drops = []
    for j in range(X.shape[1]):
        saved = X[:, j].copy()
        row = []
        for _ in range(n_repeats):
            X[:, j] = saved[rng.permutation(len(saved))]
            row.append(base - scorer(model, X, y))
        X[:, j] = saved
        drops.append(row)
    return np.array(drops)
