# mistake: weighted-by-predictions
# expect: number of *true* samples
def precision_recall_f1(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    labels = [pos_label] if average == "binary" else np.unique(np.concatenate([y_true, y_pred]))
    tp = np.array([np.sum((y_true == c) & (y_pred == c)) for c in labels], dtype=float)
    fp = np.array([np.sum((y_true != c) & (y_pred == c)) for c in labels], dtype=float)
    fn = np.array([np.sum((y_true == c) & (y_pred != c)) for c in labels], dtype=float)
    if average == "micro":
        tp, fp, fn = tp.sum(keepdims=True), fp.sum(keepdims=True), fn.sum(keepdims=True)

    def ratio(a, b):
        return np.where(b > 0, a / np.where(b > 0, b, 1), zero_division)

    scores = ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(2 * tp, 2 * tp + fp + fn)
    weights = tp + fp if average == "weighted" else None
    return tuple(float(np.average(s, weights=weights)) for s in scores)
