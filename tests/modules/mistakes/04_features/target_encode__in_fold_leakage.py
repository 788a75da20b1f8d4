# mistake: in-fold-leakage
# expect: out-of-fold
def target_encode(train, test, col, target, n_splits=5, smoothing=20.0, seed=0):
    # every training row is encoded with statistics that include its own target
    stats = train.groupby(col)[target].agg(["sum", "count"])
    prior = train[target].mean()
    enc = (stats["sum"] + smoothing * prior) / (stats["count"] + smoothing)
    train_enc = train[col].map(enc).astype(float)
    test_enc = test[col].map(enc).astype(float).fillna(prior)
    return train_enc, test_enc
