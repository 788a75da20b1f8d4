# mistake: wrong-level
# expect: 90% interval
def paired_bootstrap_diff(y_true, pred_a, pred_b, metric, n_boot=1000, seed=0):
    y_true, pred_a, pred_b = np.asarray(y_true), np.asarray(pred_a), np.asarray(pred_b)
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(y_true), size=(n_boot, len(y_true)), replace=True)
    diffs = np.array([metric(y_true[r], pred_a[r]) - metric(y_true[r], pred_b[r]) for r in rows])
    return list(np.quantile(diffs, [0.05, 0.95]))
