# mistake: blocked-call
# expect: implement it yourself
def fairness_report(y_true, y_pred, sensitive):
    from fairlearn.metrics import MetricFrame, demographic_parity_difference, demographic_parity_ratio
    from fairlearn.metrics import equalized_odds_difference, selection_rate
    frame = MetricFrame(metrics=selection_rate, y_true=y_true, y_pred=y_pred, sensitive_features=sensitive)
    return {"selection_rate": frame.by_group.to_dict(),
            "demographic_parity_difference": demographic_parity_difference(y_true, y_pred, sensitive_features=sensitive),
            "demographic_parity_ratio": demographic_parity_ratio(y_true, y_pred, sensitive_features=sensitive),
            "equalized_odds_difference": equalized_odds_difference(y_true, y_pred, sensitive_features=sensitive)}
