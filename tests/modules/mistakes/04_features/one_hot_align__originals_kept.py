# mistake: cols-kept
# expect: are still there
def one_hot_align(train, test, cols):
    """get_dummies on both frames, test forced into train's columns."""
    train_out = pd.get_dummies(train, columns=cols, dtype=int)
    test_out = pd.get_dummies(test, columns=cols, dtype=int).reindex(columns=train_out.columns, fill_value=0)
    return train.join(train_out[[c for c in train_out if c not in train]]), \
        test.join(test_out[[c for c in test_out if c not in test]])
