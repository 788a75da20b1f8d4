# mistake: fold-median
# expect: median of the folds
from sklearn.base import is_classifier
from sklearn.model_selection import check_cv


def learning_curve(make_model, X, y, sizes, cv=5):
    X, y = np.asarray(X), np.asarray(y)
    folds = list(check_cv(cv, y, classifier=is_classifier(make_model())).split(X, y))
    train, val = np.zeros((len(sizes), len(folds))), np.zeros((len(sizes), len(folds)))
    for i, size in enumerate(sizes):
        for j, (tr, te) in enumerate(folds):
            model = make_model()
            model.fit(X[tr[:size]], y[tr[:size]])
            train[i, j] = model.score(X[tr[:size]], y[tr[:size]])
            val[i, j] = model.score(X[te], y[te])
    return train, val


def diagnose(train_scores, val_scores, target):
    t, v = np.median(train_scores[-1]), np.median(val_scores[-1])
    return "underfitting" if t < target else "overfitting" if v < target else "good"
