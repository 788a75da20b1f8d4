# mistake: preprocessing-on-all-data
# expect: leaks the test folds into training
def cross_val_score(make_model, X, y, cv, scorer):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    X = (X - X.mean(axis=0)) / X.std(axis=0)          # scaled with statistics of all rows
    if isinstance(cv, int):
        cv = KFold(n_splits=cv)
    pairs = cv.split(X, y) if hasattr(cv, "split") else cv
    scores = []
    for train_idx, test_idx in pairs:
        model = make_model().fit(X[train_idx], y[train_idx])
        scores.append(scorer(model, X[test_idx], y[test_idx]))
    return np.array(scores)
