# mistake: ties-tolerance
# expect: were treated as ties
def roc_curve(y_true, scores):
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last = np.r_[~np.isclose(np.diff(s), 0), True]     # "equal" scores, up to round-off
    tps = np.cumsum(y)[last]
    fps = np.cumsum(1 - y)[last]
    return np.r_[0.0, fps / fps[-1]], np.r_[0.0, tps / tps[-1]], np.r_[np.inf, s[last]]


def roc_auc(y_true, scores):
    fpr, tpr, _ = roc_curve(y_true, scores)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
