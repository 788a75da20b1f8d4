# mistake: ece-nan-empty-bins
# expect: Skip bins that hold no sample
def expected_calibration_error(y_true, prob, n_bins=10):
    y, p = np.asarray(y_true, dtype=float), np.asarray(prob, dtype=float)
    ids = np.minimum((p * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    with np.errstate(all="ignore"):
        for b in range(n_bins):
            m = ids == b
            ece += m.mean() * abs(np.mean(y[m]) - np.mean(p[m]))      # nan for an empty bin
    return float(ece)


def brier_score(y_true, prob):
    return float(np.mean((np.asarray(prob, dtype=float) - np.asarray(y_true, dtype=float)) ** 2))
