import pandas as pd


def fairness_report(y_true, y_pred, sensitive):
    """pandas groupby: per-group selection rate, TPR and FPR; the selection rates as a Series by group."""
    df = pd.DataFrame({"y": y_true, "p": y_pred, "g": sensitive})
    sel = df.groupby("g")["p"].mean()
    tpr = df[df.y == 1].groupby("g")["p"].mean()
    fpr = df[df.y == 0].groupby("g")["p"].mean()
    return {"selection_rate": sel,
            "demographic_parity_difference": sel.max() - sel.min(),
            "demographic_parity_ratio": sel.min() / sel.max(),
            "equalized_odds_difference": max(tpr.max() - tpr.min(), fpr.max() - fpr.min())}
