def average_precision(y_true, scores):
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    total = y.sum()
    ap, previous_recall = 0.0, 0.0
    for t in np.sort(np.unique(s))[::-1]:
        flagged = s >= t
        tp = np.sum(y[flagged])
        recall = tp / total
        ap += (recall - previous_recall) * tp / flagged.sum()
        previous_recall = recall
    return ap
