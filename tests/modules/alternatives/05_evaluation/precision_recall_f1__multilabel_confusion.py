from sklearn.metrics import multilabel_confusion_matrix


def precision_recall_f1(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    if average == "binary":
        labels = [pos_label]
    else:
        labels = sorted(set(np.asarray(y_true).tolist()) | set(np.asarray(y_pred).tolist()))
    mcm = multilabel_confusion_matrix(y_true, y_pred, labels=labels)
    tp, fp, fn = mcm[:, 1, 1], mcm[:, 0, 1], mcm[:, 1, 0]
    if average == "micro":
        tp, fp, fn = [tp.sum()], [fp.sum()], [fn.sum()]
    precisions, recalls, f1s = [], [], []
    for t, f_p, f_n in zip(tp, fp, fn):
        precisions.append(t / (t + f_p) if t + f_p else zero_division)
        recalls.append(t / (t + f_n) if t + f_n else zero_division)
        f1s.append(2 * t / (2 * t + f_p + f_n) if 2 * t + f_p + f_n else zero_division)
    if average == "weighted":
        w = np.asarray(tp) + np.asarray(fn)
        return tuple(float(np.dot(v, w) / w.sum()) for v in (precisions, recalls, f1s))
    return float(np.mean(precisions)), float(np.mean(recalls)), float(np.mean(f1s)), None
