def expected_calibration_error(y_true, prob, n_bins=10):
    y, p = np.asarray(y_true, dtype=float), np.asarray(prob, dtype=float)
    edges = np.linspace(0, 1, n_bins + 1)
    ids = np.clip(np.digitize(p, edges[1:-1]), 0, n_bins - 1)     # [a, b) bins; 1.0 -> last bin
    count = np.bincount(ids, minlength=n_bins)
    pos = np.bincount(ids, weights=y, minlength=n_bins)
    conf = np.bincount(ids, weights=p, minlength=n_bins)
    full = count > 0
    return float(np.sum(np.abs(pos[full] - conf[full])) / len(p))   # n_b/N * |mean y - mean p|


def brier_score(y_true, prob):
    return float(np.average(np.square(np.subtract(prob, y_true, dtype=float))))
