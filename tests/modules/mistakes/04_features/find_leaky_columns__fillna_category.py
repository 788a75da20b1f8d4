# mistake: category-dtype
# expect: category dtype
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold


def find_leaky_columns(df, target):
    """Out-of-fold bin means; missing text spelled out as its own value "missing" before it is coded."""
    y = df[target].to_numpy()
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(df, y))
    leaky = []
    for col in df.columns.drop(target):
        s = df[col]
        if pd.api.types.is_numeric_dtype(s) and s.nunique() > 20:
            codes = pd.qcut(s, 20, duplicates="drop").cat.codes.to_numpy()    # NaN is code -1
        elif pd.api.types.is_numeric_dtype(s):
            codes = pd.factorize(s)[0]
        else:
            codes = pd.factorize(s.fillna("missing"))[0]        # a category column refuses a new value
        score = np.empty(len(df))
        for fit_rows, held_rows in folds:
            means = pd.Series(y[fit_rows]).groupby(codes[fit_rows]).mean()
            score[held_rows] = pd.Series(codes[held_rows]).map(means).fillna(y[fit_rows].mean()).to_numpy()
        auc = roc_auc_score(y, score)
        if max(auc, 1 - auc) >= 0.95:
            leaky.append(col)
    return leaky
