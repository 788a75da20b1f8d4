# mistake: labels-ignored
# expect: you ignored the `labels` argument
def confusion_matrix(y_true, y_pred, labels=None):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    classes = np.unique(np.concatenate([y_true, y_pred]))
    t = np.searchsorted(classes, y_true)
    p = np.searchsorted(classes, y_pred)
    M = np.zeros((len(classes), len(classes)), dtype=int)
    np.add.at(M, (t, p), 1)
    return M
