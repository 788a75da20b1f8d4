# mistake: interpolated-precision
# expect: interpolated precision
def average_precision(y_true, scores):
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last = np.r_[np.diff(s) != 0, True]
    tp, fp = np.cumsum(y)[last], np.cumsum(1 - y)[last]
    precision, recall = tp / (tp + fp), tp / tp[-1]
    best_after = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * best_after))
