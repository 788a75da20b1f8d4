# mistake: ratio-inverted
# expect: max/min
def fairness_report(y_true, y_pred, sensitive):
    y_true, y_pred, sensitive = np.asarray(y_true), np.asarray(y_pred), np.asarray(sensitive)
    groups = list(dict.fromkeys(sensitive.tolist()))
    rates, tprs, fprs = {}, [], []
    for g in groups:
        m = sensitive == g
        rates[g] = float(y_pred[m].mean())
        tprs.append(y_pred[m & (y_true == 1)].mean())
        fprs.append(y_pred[m & (y_true == 0)].mean())
    r = list(rates.values())
    return {"selection_rate": rates,
            "demographic_parity_difference": max(r) - min(r),
            "demographic_parity_ratio": max(r) / min(r),
            "equalized_odds_difference": float(max(max(tprs) - min(tprs), max(fprs) - min(fprs)))}
