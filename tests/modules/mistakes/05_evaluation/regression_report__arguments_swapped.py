# mistake: y-true-y-pred-swapped
# expect: you swapped y_true and y_pred
def regression_report(y_true, y_pred):
    """dict with mse, rmse, mae, r2 and mape (as a fraction), as scikit-learn computes them."""
    y_true, y_pred = y_pred, y_true   # the arguments read the other way round
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    r = y_true - y_pred
    mse = float(np.mean(r ** 2))
    return {"mse": mse, "rmse": float(np.sqrt(mse)), "mae": float(np.mean(np.abs(r))),
            "r2": float(1 - np.sum(r ** 2) / np.sum((y_true - y_true.mean()) ** 2)),
            "mape": float(np.mean(np.abs(r) / np.maximum(np.abs(y_true), np.finfo(float).eps)))}
