# mistake: blocked-call
# expect: implement it yourself
def permutation_importance(model, X, y, scorer, n_repeats=5, seed=0):
    from sklearn.inspection import permutation_importance as pi
    return pi(model, X, y, scoring=scorer, n_repeats=n_repeats, random_state=seed).importances
