# mistake: categorical-ignored
# expect: test categorical columns too
from sklearn.metrics import roc_auc_score


def find_leaky_columns(df, target):
    y = df[target]
    leaky = []
    for col in df.select_dtypes("number").columns.drop(target):
        score = df[col].fillna(df[col].min() - 1)
        auc = roc_auc_score(y, score)
        if max(auc, 1 - auc) >= 0.95:
            leaky.append(col)
    return leaky
