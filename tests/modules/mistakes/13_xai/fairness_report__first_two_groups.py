# mistake: first-two-groups
# expect: only two groups
def fairness_report(y_true, y_pred, sensitive):
    y_true, y_pred, sensitive = np.asarray(y_true), np.asarray(y_pred), np.asarray(sensitive)
    groups = list(np.unique(sensitive))
    rate = {g: float(y_pred[sensitive == g].mean()) for g in groups}
    a, b = groups[0], groups[1]

    def tpr(g):
        return y_pred[(sensitive == g) & (y_true == 1)].mean()

    def fpr(g):
        return y_pred[(sensitive == g) & (y_true == 0)].mean()

    return {"selection_rate": rate,
            "demographic_parity_difference": abs(rate[a] - rate[b]),
            "demographic_parity_ratio": min(rate[a], rate[b]) / max(rate[a], rate[b]),
            "equalized_odds_difference": float(max(abs(tpr(a) - tpr(b)), abs(fpr(a) - fpr(b))))}
