# mistake: not-k
# expect: exactly k=
from sklearn.feature_selection import mutual_info_classif


def select_k_best(X, y, k):
    """Mutual information: scale-free, sign-free, and catches non-linear relations too."""
    scores = mutual_info_classif(X, y, random_state=0)
    return list(np.argsort(scores)[len(scores) - k - 1:])     # the k best, from the end
