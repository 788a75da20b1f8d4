# mistake: in-sample
# expect: held-out rows
from sklearn.metrics import roc_auc_score


def find_leaky_columns(df, target):
    # each column scored by its category means on the very rows they were computed from
    y = df[target]
    leaky = []
    for col in df.columns.drop(target):
        codes = pd.Series(pd.factorize(df[col])[0], index=df.index)
        score = y.groupby(codes).transform("mean")
        auc = roc_auc_score(y, score)
        if max(auc, 1 - auc) >= 0.95:
            leaky.append(col)
    return leaky
