# expect: differ from the reference
from sklearn.model_selection import KFold


def learning_curve(make_model, X, y, sizes, cv=5):
    folds = list(KFold(cv, shuffle=True, random_state=0).split(X))         # shuffled, not stratified
    train, val = np.zeros((len(sizes), cv)), np.zeros((len(sizes), cv))
    for i, size in enumerate(sizes):
        for j, (tr, te) in enumerate(folds):
            model = make_model()
            model.fit(X[tr[:size]], y[tr[:size]])
            train[i, j] = model.score(X[tr[:size]], y[tr[:size]])
            val[i, j] = model.score(X[te], y[te])
    return train, val


def diagnose(train_scores, val_scores, target):
    t, v = np.mean(train_scores[-1]), np.mean(val_scores[-1])
    return "underfitting" if t < target else "overfitting" if v < target else "good"
