from sklearn.preprocessing import OneHotEncoder

MISSING = "__missing__"


def one_hot_align(train, test, cols):
    """scikit-learn's OneHotEncoder fitted on train (unknown -> zeros); the column for missing values is dropped."""

    def as_text(df):
        return df[cols].astype(object).fillna(MISSING).astype(str)

    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False, dtype=int).fit(as_text(train))
    names = encoder.get_feature_names_out(cols)
    outs = []
    for df in (train, test):
        dummies = pd.DataFrame(encoder.transform(as_text(df)), columns=names, index=df.index)
        dummies = dummies.drop(columns=[n for n in names if n.endswith("_" + MISSING)])
        outs.append(pd.concat([df.drop(columns=cols), dummies], axis=1))
    return tuple(outs)
