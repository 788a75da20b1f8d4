# mistake: ap-ties-arbitrary
# expect: tied scores were ordered arbitrarily
def average_precision(y_true, scores):
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    y = y[np.argsort(-s, kind="stable")]          # one step per sample, ties not merged
    hits = np.cumsum(y)
    return float(np.sum((hits / np.arange(1, len(y) + 1))[y == 1]) / y.sum())
