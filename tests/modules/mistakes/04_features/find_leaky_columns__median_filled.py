# mistake: missing-ignored
# expect: *which* rows are missing
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold


def find_leaky_columns(df, target):
    y = df[target].to_numpy()
    leaky = []
    for col in df.columns.drop(target):
        s = df[col]
        if pd.api.types.is_numeric_dtype(s):
            score = s.fillna(s.median()).to_numpy(dtype=float)         # the missingness signal is erased
        else:
            codes = pd.factorize(s)[0]
            score = np.empty(len(df))
            for fit_rows, held_rows in StratifiedKFold(5, shuffle=True, random_state=0).split(df, y):
                means = pd.Series(y[fit_rows]).groupby(codes[fit_rows]).mean()
                score[held_rows] = pd.Series(codes[held_rows]).map(means).fillna(y[fit_rows].mean()).to_numpy()
        auc = roc_auc_score(y, score)
        if max(auc, 1 - auc) >= 0.95:
            leaky.append(col)
    return leaky
