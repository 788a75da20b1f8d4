# mistake: by-variance
# expect: not its variance
def select_k_best(X, y, k):
    return np.argsort(X.var(axis=0))[::-1][:k]
