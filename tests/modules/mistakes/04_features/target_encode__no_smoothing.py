# mistake: no-smoothing
# expect: shrink them towards the prior
from sklearn.model_selection import KFold


def target_encode(train, test, col, target, n_splits=5, smoothing=20.0, seed=0):
    train_enc = pd.Series(np.nan, index=train.index)
    for fit_rows, held_rows in KFold(n_splits, shuffle=True, random_state=seed).split(train):
        fit = train.iloc[fit_rows]
        means = fit.groupby(col)[target].mean()
        train_enc.iloc[held_rows] = train[col].iloc[held_rows].map(means).fillna(fit[target].mean()).to_numpy()
    means = train.groupby(col)[target].mean()
    return train_enc, test[col].map(means).astype(float).fillna(train[target].mean())
