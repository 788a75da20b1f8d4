# mistake: trapezoidal
# expect: trapezoidal rule
def average_precision(y_true, scores):
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last = np.r_[np.diff(s) != 0, True]
    tp, fp = np.cumsum(y)[last], np.cumsum(1 - y)[last]
    precision, recall = np.r_[1.0, tp / (tp + fp)], np.r_[0.0, tp / tp[-1]]
    return float(np.trapezoid(precision, recall))
