# mistake: mask-not-indices
# expect: mask over all features
from sklearn.feature_selection import f_classif


def select_k_best(X, y, k):
    scores, _ = f_classif(X, y)
    return scores >= np.sort(scores)[-k]
