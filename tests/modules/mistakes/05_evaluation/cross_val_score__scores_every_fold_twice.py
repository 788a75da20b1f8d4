# mistake: wrong-number-of-scores
# expect: call it once per
def cross_val_score(make_model, X, y, cv, scorer):
    X, y = np.asarray(X), np.asarray(y)
    if isinstance(cv, int):
        cv = KFold(n_splits=cv)
    pairs = cv.split(X, y) if hasattr(cv, "split") else cv
    scores = []
    for train_idx, test_idx in pairs:
        model = make_model()
        model.fit(X[train_idx], y[train_idx])
        score = scorer(model, X[test_idx], y[test_idx])
        if scorer(model, X[test_idx], y[test_idx]) == score:    # checks it is stable
            scores.append(score)
    return np.array(scores)
