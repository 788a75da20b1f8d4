# mistake: nan-column
# expect: columns for missing values
def one_hot_align(train, test, cols):
    """get_dummies on both frames, test forced into train's columns."""
    train_out = pd.get_dummies(train, columns=cols, dtype=int, dummy_na=True)
    test_out = pd.get_dummies(test, columns=cols, dtype=int, dummy_na=True).reindex(columns=train_out.columns, fill_value=0)
    return train_out, test_out
