# mistake: metric-arguments-swapped
# expect: you called metric(pred, y_true)
def paired_bootstrap_diff(y_true, pred_a, pred_b, metric, n_boot=1000, seed=0):
    """95% percentile bootstrap interval of metric(a) - metric(b), rows resampled in pairs."""
    y_true, pred_a, pred_b = np.asarray(y_true), np.asarray(pred_a), np.asarray(pred_b)
    rng = np.random.default_rng(seed)
    n = len(y_true)
    diffs = np.empty(n_boot)
    for i in range(n_boot):
        idx = rng.integers(0, n, size=n)
        diffs[i] = metric(pred_a[idx], y_true[idx]) - metric(pred_b[idx], y_true[idx])
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    return float(lo), float(hi)
