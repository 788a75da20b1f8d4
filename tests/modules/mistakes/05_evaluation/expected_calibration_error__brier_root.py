# mistake: brier-root
# expect: you took a square root
def expected_calibration_error(y_true, prob, n_bins=10):
    y, p = np.asarray(y_true, dtype=float), np.asarray(prob, dtype=float)
    ids = np.minimum((p * n_bins).astype(int), n_bins - 1)
    return float(sum((ids == b).mean() * abs(y[ids == b].mean() - p[ids == b].mean()) for b in np.unique(ids)))


def brier_score(y_true, prob):
    return float(np.sqrt(np.mean((np.asarray(prob, dtype=float) - np.asarray(y_true, dtype=float)) ** 2)))
