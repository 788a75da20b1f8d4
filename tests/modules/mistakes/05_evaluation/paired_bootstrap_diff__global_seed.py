# mistake: global-rng
# expect: global random state
def paired_bootstrap_diff(y_true, pred_a, pred_b, metric, n_boot=1000, seed=0):
    y_true, pred_a, pred_b = np.asarray(y_true), np.asarray(pred_a), np.asarray(pred_b)
    n = len(y_true)
    diffs = []
    for _ in range(n_boot):
        idx = np.random.randint(0, n, n)
        diffs.append(metric(y_true[idx], pred_a[idx]) - metric(y_true[idx], pred_b[idx]))
    return tuple(np.percentile(diffs, [2.5, 97.5]))
