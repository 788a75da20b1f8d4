# mistake: test-categories
# expect: only appear in test
def one_hot_align(train, test, cols):
    both = pd.get_dummies(pd.concat([train, test], keys=["train", "test"]), columns=cols, dtype=int)
    return both.loc["train"], both.loc["test"]
