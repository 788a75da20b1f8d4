# mistake: labels-from-y-true
# expect: only appears among the predictions
def confusion_matrix(y_true, y_pred, labels=None):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if labels is None:
        labels = np.unique(y_true)
    labels = list(labels)
    M = np.zeros((len(labels), len(labels)), dtype=int)
    for t, p in zip(y_true.tolist(), y_pred.tolist()):
        if t in labels and p in labels:
            M[labels.index(t), labels.index(p)] += 1
    return M
