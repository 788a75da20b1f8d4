# mistake: loc-not-iloc
# expect: not .loc
from sklearn.model_selection import KFold


def target_encode(train, test, col, target, n_splits=5, smoothing=20.0, seed=0):
    def encode(fit, values):
        stats = fit.groupby(col)[target].agg(["sum", "count"])
        prior = fit[target].mean()
        s = values.map(stats["sum"]).astype(float).fillna(0.0)
        n = values.map(stats["count"]).astype(float).fillna(0.0)
        return (s + smoothing * prior) / (n + smoothing)

    train_enc = pd.Series(np.nan, index=train.index)
    for fit_rows, held_rows in KFold(n_splits, shuffle=True, random_state=seed).split(train):
        fit = train.loc[fit_rows]                     # positions used as labels
        train_enc.loc[held_rows] = encode(fit, train[col].loc[held_rows])
    return train_enc, encode(train, test[col])
