def cross_val_score(make_model, X, y, cv, scorer):
    n = len(X)
    if isinstance(cv, int):
        sizes = [n // cv + (1 if k < n % cv else 0) for k in range(cv)]
        bounds = np.cumsum([0] + sizes)
        pairs = [(np.r_[0:bounds[k], bounds[k + 1]:n], np.arange(bounds[k], bounds[k + 1])) for k in range(cv)]
    elif hasattr(cv, "split"):
        pairs = list(cv.split(X, y))
    else:
        pairs = [(np.asarray(tr), np.asarray(te)) for tr, te in cv]
    return np.array([scorer(make_model().fit(X[tr], y[tr]), X[te], y[te]) for tr, te in pairs])
