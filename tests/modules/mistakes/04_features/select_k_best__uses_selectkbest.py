# mistake: blocked-call
# expect: implement it yourself
from sklearn.feature_selection import SelectKBest, f_classif


def select_k_best(X, y, k):
    return SelectKBest(f_classif, k=k).fit(X, y).get_support(indices=True)
