# mistake: ties-tolerance
# expect: were treated as ties
def average_precision(y_true, scores):
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last = np.r_[~np.isclose(np.diff(s), 0), True]     # "equal" scores, up to round-off
    tp = np.cumsum(y)[last]
    fp = np.cumsum(1 - y)[last]
    precision, recall = tp / (tp + fp), tp / tp[-1]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))
