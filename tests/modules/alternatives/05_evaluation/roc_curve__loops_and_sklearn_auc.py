from sklearn.metrics import auc


def roc_curve(y_true, scores):
    y = [int(v) for v in y_true]
    s = [float(v) for v in scores]
    P, N = sum(y), len(y) - sum(y)
    fpr, tpr, thresholds = [0.0], [0.0], [float("inf")]
    for t in sorted(set(s), reverse=True):
        tp = sum(1 for yi, si in zip(y, s) if si >= t and yi == 1)
        fp = sum(1 for yi, si in zip(y, s) if si >= t and yi == 0)
        fpr.append(fp / N)
        tpr.append(tp / P)
        thresholds.append(t)
    return fpr, tpr, thresholds


def roc_auc(y_true, scores):
    fpr, tpr, _ = roc_curve(y_true, scores)
    return auc(fpr, tpr)
