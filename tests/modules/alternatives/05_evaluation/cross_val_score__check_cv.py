from sklearn.model_selection import check_cv


def cross_val_score(make_model, X, y, cv, scorer):
    splitter = check_cv(cv)          # an int -> KFold(cv), a splitter stays, a list is wrapped
    scores = []
    for train_idx, test_idx in splitter.split(X, y):
        model = make_model()
        model.fit(np.take(X, train_idx, axis=0), np.take(y, train_idx))
        scores.append(scorer(model, np.take(X, test_idx, axis=0), np.take(y, test_idx)))
    return np.asarray(scores)
