def cross_val_score(make_model, X, y, cv, scorer):
    X, y = np.asarray(X), np.asarray(y)
    folds = KFold(n_splits=cv).split(X) if isinstance(cv, int) else cv.split(X, y) if hasattr(cv, "split") else cv
    test_scores, train_scores = [], []
    for train_idx, test_idx in folds:
        model = make_model()
        model.fit(X[train_idx], y[train_idx])
        train_scores.append(scorer(model, X[train_idx], y[train_idx]))     # a diagnostic, not returned
        test_scores.append(scorer(model, X[test_idx], y[test_idx]))
    return np.array(test_scores)
