# mistake: r2-one-pass
# expect: catastrophic cancellation
def regression_report(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    r = y_true - y_pred
    n = len(y_true)
    mse = float(np.mean(r ** 2))
    ss_tot = np.sum(y_true ** 2) - n * y_true.mean() ** 2      # n * variance, in one pass
    return {"mse": mse, "rmse": float(np.sqrt(mse)), "mae": float(np.mean(np.abs(r))),
            "r2": float(1 - np.sum(r ** 2) / ss_tot), "mape": float(np.mean(np.abs(r) / np.abs(y_true)))}
