# mistake: index-lost
# expect: lost the input's index
def one_hot_align(train, test, cols):
    """get_dummies on both frames, test forced into train's columns."""
    train_out = pd.get_dummies(train, columns=cols, dtype=int)
    test_out = pd.get_dummies(test, columns=cols, dtype=int).reindex(columns=train_out.columns, fill_value=0)
    return train_out.reset_index(drop=True), test_out.reset_index(drop=True)
