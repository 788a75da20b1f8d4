# mistake: mape-percent
# expect: not a percentage
def regression_report(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    r = y_true - y_pred
    mse = np.mean(r ** 2)
    r2 = 1 - np.sum(r ** 2) / np.sum((y_true - y_true.mean()) ** 2)
    return {"mse": mse, "rmse": np.sqrt(mse), "mae": np.mean(np.abs(r)), "r2": r2,
            "mape": 100 * np.mean(np.abs(r / y_true))}
