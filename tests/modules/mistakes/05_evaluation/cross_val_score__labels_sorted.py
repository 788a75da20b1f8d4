# mistake: labels-misaligned
# expect: are not y[test_idx]
def cross_val_score(make_model, X, y, cv, scorer):
    X, y = np.asarray(X), np.asarray(y)
    if isinstance(cv, int):
        cv = KFold(n_splits=cv)
    pairs = cv.split(X, y) if hasattr(cv, "split") else cv
    scores = []
    for train_idx, test_idx in pairs:
        model = make_model()
        model.fit(X[train_idx], y[train_idx])
        scores.append(scorer(model, X[test_idx], y[np.sort(test_idx)[::-1]]))
    return np.array(scores)
