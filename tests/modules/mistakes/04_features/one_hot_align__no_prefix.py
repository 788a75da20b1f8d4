# mistake: wrong-columns
# expect: `<col>_<value>` columns
def one_hot_align(train, test, cols):
    """get_dummies on both frames, test forced into train's columns."""
    train_out = pd.get_dummies(train, columns=cols, dtype=int, prefix_sep="=")
    test_out = pd.get_dummies(test, columns=cols, dtype=int, prefix_sep="=").reindex(columns=train_out.columns, fill_value=0)
    return train_out, test_out
