# mistake: wrong-train-rows
# expect: exactly that fold's training rows
def cross_val_score(make_model, X, y, cv, scorer):
    X, y = np.asarray(X), np.asarray(y)
    if isinstance(cv, int):
        cv = KFold(n_splits=cv)
    pairs = cv.split(X, y) if hasattr(cv, "split") else cv
    scores = []
    for train_idx, test_idx in pairs:
        model = make_model()
        model.fit(X[train_idx[1:]], y[train_idx[1:]])   # drops a row
        scores.append(scorer(model, X[test_idx], y[test_idx]))
    return np.array(scores)
