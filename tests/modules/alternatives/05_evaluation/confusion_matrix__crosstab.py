def confusion_matrix(y_true, y_pred, labels=None):
    y_true, y_pred = pd.Series(np.asarray(y_true)), pd.Series(np.asarray(y_pred))
    if labels is None:
        labels = sorted(set(y_true) | set(y_pred))
    table = pd.crosstab(y_true, y_pred)
    return table.reindex(index=labels, columns=labels, fill_value=0).to_numpy()
