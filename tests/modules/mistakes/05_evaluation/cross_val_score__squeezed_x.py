# mistake: squeezed-X
# expect: np.squeeze
def cross_val_score(make_model, X, y, cv, scorer):
    X, y = np.squeeze(np.asarray(X)), np.asarray(y).ravel()      # "tidy" the inputs
    if isinstance(cv, int):
        pairs = KFold(n_splits=cv).split(X)
    elif hasattr(cv, "split"):
        pairs = cv.split(X, y)
    else:
        pairs = cv
    scores = []
    for train_idx, test_idx in pairs:
        model = make_model()
        model.fit(X[train_idx], y[train_idx])
        scores.append(scorer(model, X[test_idx], y[test_idx]))
    return np.array(scores)
