# mistake: prob-one-dropped
# expect: past the last bin
def expected_calibration_error(y_true, prob, n_bins=10):
    y, p = np.asarray(y_true, dtype=float), np.asarray(prob, dtype=float)
    ids = np.floor(p * n_bins).astype(int)          # p = 1.0 lands in bin n_bins, which is never visited
    ece = 0.0
    for b in range(n_bins):
        m = ids == b
        if m.any():
            ece += m.sum() / len(p) * abs(y[m].mean() - p[m].mean())
    return float(ece)


def brier_score(y_true, prob):
    return float(np.mean((np.asarray(prob, dtype=float) - np.asarray(y_true, dtype=float)) ** 2))
