# mistake: drop-first
# expect: drop_first=True
def one_hot_align(train, test, cols):
    train_out = pd.get_dummies(train, columns=cols, dtype=int, drop_first=True)
    test_out = pd.get_dummies(test, columns=cols, dtype=int).reindex(columns=train_out.columns, fill_value=0)
    return train_out, test_out
