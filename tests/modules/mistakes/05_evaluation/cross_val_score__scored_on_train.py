# mistake: scored-on-train
# expect: score on X[test_idx]
def cross_val_score(make_model, X, y, cv, scorer):
    X, y = np.asarray(X), np.asarray(y)
    folds = KFold(n_splits=cv).split(X) if isinstance(cv, int) else cv.split(X, y) if hasattr(cv, "split") else cv
    scores = []
    for train_idx, test_idx in folds:
        model = make_model().fit(X[train_idx], y[train_idx])
        scores.append(scorer(model, X[train_idx], y[train_idx]))
    return np.array(scores)
