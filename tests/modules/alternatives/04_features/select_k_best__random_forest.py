from sklearn.ensemble import RandomForestClassifier


def select_k_best(X, y, k):
    """Impurity importances of a random forest."""
    forest = RandomForestClassifier(n_estimators=200, random_state=0, n_jobs=1).fit(X, y)
    return np.argsort(forest.feature_importances_)[-k:]
