# mistake: independent-resampling
# expect: you resampled a and b independently
def paired_bootstrap_diff(y_true, pred_a, pred_b, metric, n_boot=1000, seed=0):
    y_true, pred_a, pred_b = np.asarray(y_true), np.asarray(pred_a), np.asarray(pred_b)
    rng = np.random.default_rng(seed)
    n = len(y_true)
    diffs = []
    for _ in range(n_boot):
        ia, ib = rng.integers(0, n, n), rng.integers(0, n, n)
        diffs.append(metric(y_true[ia], pred_a[ia]) - metric(y_true[ib], pred_b[ib]))
    return tuple(np.percentile(diffs, [2.5, 97.5]))
