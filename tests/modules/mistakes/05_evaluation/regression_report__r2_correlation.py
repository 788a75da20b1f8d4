# mistake: r2-squared-correlation
# expect: you returned the squared correlation
def regression_report(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    r = y_true - y_pred
    mse = np.mean(r ** 2)
    return {"mse": mse, "rmse": np.sqrt(mse), "mae": np.mean(np.abs(r)),
            "r2": np.corrcoef(y_true, y_pred)[0, 1] ** 2, "mape": np.mean(np.abs(r / y_true))}
