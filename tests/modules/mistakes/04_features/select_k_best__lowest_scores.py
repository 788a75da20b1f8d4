# mistake: lowest-scores
# expect: *lowest* scores
from sklearn.feature_selection import f_classif


def select_k_best(X, y, k):
    scores, _ = f_classif(X, y)
    return np.argsort(scores)[:k]
