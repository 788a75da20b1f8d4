# mistake: blocked-call
# expect: implement it yourself
from sklearn.preprocessing import TargetEncoder


def target_encode(train, test, col, target, n_splits=5, smoothing=20.0, seed=0):
    encoder = TargetEncoder(smooth=smoothing, cv=n_splits, shuffle=True, random_state=seed)
    train_enc = encoder.fit_transform(train[[col]], train[target])[:, 0]
    test_enc = encoder.transform(test[[col]])[:, 0]
    return pd.Series(train_enc, index=train.index), pd.Series(test_enc, index=test.index)
