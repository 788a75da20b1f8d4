# mistake: fixed-two-classes
# expect: always 2x2
def confusion_matrix(y_true, y_pred, labels=None):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    positive = (np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(labels))[-1]
    t, p = y_true == positive, y_pred == positive
    return np.array([[np.sum(~t & ~p), np.sum(~t & p)],
                     [np.sum(t & ~p), np.sum(t & p)]])
