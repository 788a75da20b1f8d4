# mistake: bool-dummies
# expect: dtype=int
def one_hot_align(train, test, cols):
    train_out = pd.get_dummies(train, columns=cols)
    test_out = pd.get_dummies(test, columns=cols).reindex(columns=train_out.columns, fill_value=False)
    return train_out, test_out
