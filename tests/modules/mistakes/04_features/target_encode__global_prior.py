# mistake: global-prior
# expect: prior of the other folds
from sklearn.model_selection import KFold


def target_encode(train, test, col, target, n_splits=5, smoothing=20.0, seed=0):
    prior = train[target].mean()

    def encode(fit, values):
        stats = fit.groupby(col)[target].agg(["sum", "count"])
        s = values.map(stats["sum"]).astype(float).fillna(0.0)
        n = values.map(stats["count"]).astype(float).fillna(0.0)
        return (s + smoothing * prior) / (n + smoothing)

    train_enc = pd.Series(np.nan, index=train.index)
    for fit_rows, held_rows in KFold(n_splits, shuffle=True, random_state=seed).split(train):
        train_enc.iloc[held_rows] = encode(train.iloc[fit_rows], train[col].iloc[held_rows]).to_numpy()
    return train_enc, encode(train, test[col])
