# mistake: low-recall
# expect: sign-free
def select_k_best(X, y, k):
    Xc = (X - X.mean(axis=0)) / X.std(axis=0)
    yc = (y - y.mean()) / y.std()
    corr = Xc.T @ yc / len(y)
    return np.argsort(corr)[::-1][:k]          # the most positive only: negative effects are lost
