# mistake: b-minus-a
# expect: metric(b) - metric(a)
def paired_bootstrap_diff(y_true, pred_a, pred_b, metric, n_boot=1000, seed=0):
    y_true, pred_a, pred_b = np.asarray(y_true), np.asarray(pred_a), np.asarray(pred_b)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(y_true), size=(n_boot, len(y_true)))
    diffs = [metric(y_true[i], pred_b[i]) - metric(y_true[i], pred_a[i]) for i in idx]
    return tuple(np.percentile(diffs, [2.5, 97.5]))
