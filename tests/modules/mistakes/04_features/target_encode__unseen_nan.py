# mistake: unseen-nan
# expect: never occurs in train got NaN
from sklearn.model_selection import KFold


def target_encode(train, test, col, target, n_splits=5, smoothing=20.0, seed=0):
    def encode(fit, values):
        stats = fit.groupby(col)[target].agg(["sum", "count"])
        enc = (stats["sum"] + smoothing * fit[target].mean()) / (stats["count"] + smoothing)
        return values.map(enc).astype(float)

    train_enc = pd.Series(np.nan, index=train.index)
    for fit_rows, held_rows in KFold(n_splits, shuffle=True, random_state=seed).split(train):
        fit = train.iloc[fit_rows]
        prior = fit[target].mean()
        train_enc.iloc[held_rows] = encode(fit, train[col].iloc[held_rows]).fillna(prior).to_numpy()
    return train_enc, encode(train, test[col])       # unseen test categories stay NaN
