from sklearn.base import is_classifier
from sklearn.model_selection import KFold, StratifiedKFold


def learning_curve(make_model, X, y, sizes, cv=5):
    """The splitter chosen by hand (what check_cv does for these targets), lists built then stacked."""
    splitter = StratifiedKFold(n_splits=cv) if is_classifier(make_model()) else KFold(n_splits=cv)
    rows_train, rows_val = [], []
    for size in sizes:
        fold_train, fold_val = [], []
        for train_idx, test_idx in splitter.split(X, y):
            subset = train_idx[:size]
            m = make_model()
            m.fit(X[subset], y[subset])
            fold_train.append(m.score(X[subset], y[subset]))
            fold_val.append(m.score(X[test_idx], y[test_idx]))
        rows_train.append(fold_train)
        rows_val.append(fold_val)
    return np.array(rows_train), np.array(rows_val)


def diagnose(train_scores, val_scores, target):
    largest_train = sum(train_scores[-1]) / len(train_scores[-1])
    largest_val = sum(val_scores[-1]) / len(val_scores[-1])
    if largest_train < target:
        return "underfitting"
    return "overfitting" if largest_val < target else "good"
