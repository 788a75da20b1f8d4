# mistake: y-true-y-pred-swapped
# expect: precision and recall are swapped
def precision_recall_f1(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    """(precision, recall, f1) averaged as scikit-learn does."""
    y_true, y_pred = y_pred, y_true   # the arguments read the other way round
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    labels = [pos_label] if average == "binary" else np.unique(np.concatenate([y_true, y_pred]))
    tp = np.array([np.sum((y_true == c) & (y_pred == c)) for c in labels], dtype=float)
    fp = np.array([np.sum((y_true != c) & (y_pred == c)) for c in labels], dtype=float)
    fn = np.array([np.sum((y_true == c) & (y_pred != c)) for c in labels], dtype=float)
    if average == "micro":
        tp, fp, fn = tp.sum(keepdims=True), fp.sum(keepdims=True), fn.sum(keepdims=True)

    def ratio(num, den):
        return np.where(den > 0, num / np.where(den > 0, den, 1), zero_division)

    scores = ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(2 * tp, 2 * tp + fp + fn)
    weights = tp + fn if average == "weighted" else None
    return tuple(float(np.average(s, weights=weights)) for s in scores)
