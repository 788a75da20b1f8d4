# mistake: mape-epsilon
# expect: adds an epsilon to |y_true|
def regression_report(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    r = y_true - y_pred
    mse = float(np.mean(r ** 2))
    return {"mse": mse, "rmse": float(np.sqrt(mse)), "mae": float(np.mean(np.abs(r))),
            "r2": float(1 - np.sum(r ** 2) / np.sum((y_true - y_true.mean()) ** 2)),
            "mape": float(np.mean(np.abs(r) / (np.abs(y_true) + 1e-8)))}      # guard against y_true = 0
