def confusion_matrix(y_true, y_pred, labels=None):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    labels = np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(labels)
    k = len(labels)
    match_t = y_true[:, None] == labels[None, :]
    match_p = y_pred[:, None] == labels[None, :]
    keep = match_t.any(axis=1) & match_p.any(axis=1)
    M = np.zeros((k, k), dtype=int)
    np.add.at(M, (match_t[keep].argmax(axis=1), match_p[keep].argmax(axis=1)), 1)
    return M
