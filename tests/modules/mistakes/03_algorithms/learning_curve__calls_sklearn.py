# mistake: blocked-call
# expect: implement it yourself
from sklearn.model_selection import learning_curve as _sk_learning_curve


def learning_curve(make_model, X, y, sizes, cv=5):
    _, train, val = _sk_learning_curve(make_model(), X, y, train_sizes=sizes, cv=cv, shuffle=False)
    return train, val


def diagnose(train_scores, val_scores, target):
    t, v = np.mean(train_scores[-1]), np.mean(val_scores[-1])
    return "underfitting" if t < target else "overfitting" if v < target else "good"
