# mistake: not-a-series
# expect: return a pandas Series on the input's index
from sklearn.model_selection import KFold


def target_encode(train, test, col, target, n_splits=5, smoothing=20.0, seed=0):
    cats, y = train[col].to_numpy(dtype=object), train[target].to_numpy(dtype=float)

    def encode(rows, values):
        stats = pd.DataFrame({"c": cats[rows], "y": y[rows]}).groupby("c")["y"].agg(["sum", "count"])
        s = pd.Series(values).map(stats["sum"]).fillna(0.0).to_numpy(dtype=float)
        n = pd.Series(values).map(stats["count"]).fillna(0.0).to_numpy(dtype=float)
        return (s + smoothing * y[rows].mean()) / (n + smoothing)

    train_enc = np.empty(len(train))
    for rows, held in KFold(n_splits, shuffle=True, random_state=seed).split(cats):
        train_enc[held] = encode(rows, cats[held])
    return train_enc, encode(np.arange(len(train)), test[col].to_numpy(dtype=object))
