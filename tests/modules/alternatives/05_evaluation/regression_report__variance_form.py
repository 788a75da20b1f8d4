import statistics


def regression_report(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    errors = (y_true - y_pred).tolist()
    mse = statistics.fmean(e * e for e in errors)
    return {
        "mse": mse,
        "rmse": mse ** 0.5,
        "mae": statistics.fmean(abs(e) for e in errors),
        "r2": 1 - mse / np.var(y_true),                  # both means over n: the same ratio
        "mape": float(np.mean(np.abs(y_true - y_pred) / np.abs(y_true))),
        "n": len(errors),                                # an extra key is fine
    }
