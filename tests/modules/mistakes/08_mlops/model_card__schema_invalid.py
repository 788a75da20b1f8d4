# mistake: schema-invalid
# expect: does not validate against MODEL_CARD_SCHEMA
def model_card(y_true, y_score, groups, *, model_name, model_version, intended_use, training_data,
               threshold=0.5, min_slice_size=30, max_gap=0.05):
    """A model card (a JSON-ready dict valid against MODEL_CARD_SCHEMA) with overall and per-slice facts."""
    def _rates(y_true, y_pred, y_score):
        """accuracy, recall (None without positives) and ROC AUC (None with one class) of one group of rows."""
        positives = int(y_true.sum())
        recall = float(recall_score(y_true, y_pred, zero_division=0)) if positives else None
        auc = float(roc_auc_score(y_true, y_score)) if 0 < positives < len(y_true) else None
        return float(accuracy_score(y_true, y_pred)), recall, auc

    y_true = np.asarray(y_true).astype(int)
    y_score = np.asarray(y_score, dtype=float)
    names = np.array([str(g) for g in groups])        # JSON keys and schema strings: 3 -> "3"
    y_pred = (y_score >= threshold).astype(int)
    accuracy, recall, auc = _rates(y_true, y_pred, y_score)
    metrics = {"threshold": float(threshold), "accuracy": accuracy,
               "precision": float(precision_score(y_true, y_pred, zero_division=0)),
               "recall": recall, "roc_auc": auc}
    slices, limitations, insufficient = [], [], []
    for name in sorted(set(names)):
        rows = names == name
        acc, rec, auc_ = _rates(y_true[rows], y_pred[rows], y_score[rows])
        n = int(rows.sum())
        slices.append({"slice": name, "n": n, "positive_rate": float(y_true[rows].mean()),
                       "accuracy": acc, "recall": rec, "roc_auc": auc_})
        if n < min_slice_size:
            insufficient.append(name)
        elif rec is not None and recall is not None and recall - rec > max_gap:
            limitations.append({"slice": name, "metric": "recall", "value": rec, "overall": recall,
                                "gap": recall - rec})
    limitations.sort(key=lambda item: (-item["gap"], item["slice"]))
    return {
        "model_details": {"name": model_name, "version": model_version},
        "intended_use": intended_use,
        "training_data": training_data,
        "evaluation_data": {"n": int(len(y_true)), "positive_rate": float(y_true.mean())},
        "metrics": metrics,
        "slices": slices,
        "limitations": limitations,
        "insufficient_data": insufficient,
        "generated_by": "model_card()",
    }
