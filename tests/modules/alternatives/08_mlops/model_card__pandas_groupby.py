import pandas as pd


def model_card(y_true, y_score, groups, *, model_name, model_version, intended_use, training_data,
               threshold=0.5, min_slice_size=30, max_gap=0.05):
    df = pd.DataFrame({"y": np.asarray(y_true, dtype=int), "score": np.asarray(y_score, dtype=float),
                       "group": [str(g) for g in groups]})
    df["pred"] = (df["score"] >= threshold).astype(int)

    def stats(part):
        y, p, s = part["y"].to_numpy(), part["pred"].to_numpy(), part["score"].to_numpy()
        has_pos = bool(y.any())
        return {
            "accuracy": float((y == p).mean()),
            "recall": float(p[y == 1].mean()) if has_pos else None,
            "roc_auc": float(roc_auc_score(y, s)) if len(set(y.tolist())) == 2 else None,
        }

    overall = stats(df)
    predicted = df["pred"].sum()
    precision = float(df.loc[df["pred"] == 1, "y"].mean()) if predicted else 0.0
    slices, limits, small = [], [], []
    for name, part in sorted(df.groupby("group"), key=lambda kv: kv[0]):
        s = stats(part)
        slices.append({"slice": name, "n": int(len(part)), "positive_rate": float(part["y"].mean()), **s})
        if len(part) < min_slice_size:
            small.append(name)
            continue
        if s["recall"] is not None and overall["recall"] is not None:
            gap = overall["recall"] - s["recall"]
            if gap > max_gap:
                limits.append({"slice": name, "metric": "recall", "value": s["recall"],
                               "overall": overall["recall"], "gap": gap})
    return {
        "model_details": {"name": model_name, "version": model_version},
        "intended_use": intended_use,
        "training_data": training_data,
        "evaluation_data": {"n": int(len(df)), "positive_rate": float(df["y"].mean())},
        "metrics": {"threshold": float(threshold), "accuracy": overall["accuracy"], "precision": precision,
                    "recall": overall["recall"], "roc_auc": overall["roc_auc"]},
        "slices": slices,
        "limitations": sorted(limits, key=lambda d: (-d["gap"], d["slice"])),
        "insufficient_data": sorted(small),
    }
