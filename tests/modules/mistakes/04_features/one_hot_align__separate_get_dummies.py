# mistake: separate-dummies
# expect: two get_dummies calls
def one_hot_align(train, test, cols):
    return pd.get_dummies(train, columns=cols, dtype=int), pd.get_dummies(test, columns=cols, dtype=int)
