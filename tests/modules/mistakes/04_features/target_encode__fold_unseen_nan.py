# mistake: fold-unseen-nan
# expect: got NaN
from sklearn.model_selection import KFold


def target_encode(train, test, col, target, n_splits=5, smoothing=20.0, seed=0):
    """pandas map per fold; the test side fills unseen categories, the folds forget to."""
    enc = pd.Series(np.nan, index=train.index, dtype=float)
    for tr, va in KFold(n_splits, shuffle=True, random_state=seed).split(train):
        fit = train.iloc[tr]
        prior = fit[target].mean()
        stats = fit.groupby(col)[target].agg(["sum", "count"])
        cats = train[col].iloc[va]
        enc.iloc[va] = ((cats.map(stats["sum"]) + smoothing * prior)
                        / (cats.map(stats["count"]) + smoothing)).to_numpy(dtype=float)
    stats = train.groupby(col)[target].agg(["sum", "count"])
    prior = train[target].mean()
    sums, counts = test[col].map(stats["sum"]).fillna(0.0), test[col].map(stats["count"]).fillna(0.0)
    return enc, ((sums + smoothing * prior) / (counts + smoothing)).astype(float)
