# mistake: one-direction
# expect: in *reverse*
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold


def find_leaky_columns(df, target):
    y = df[target].to_numpy()
    leaky = []
    for col in df.columns.drop(target):
        s = df[col]
        if pd.api.types.is_numeric_dtype(s):
            score = s.fillna(s.min() - 1).to_numpy(dtype=float)       # the raw values, as they come
        else:
            codes = pd.factorize(s)[0]
            score = np.empty(len(df))
            for fit_rows, held_rows in StratifiedKFold(5, shuffle=True, random_state=0).split(df, y):
                means = pd.Series(y[fit_rows]).groupby(codes[fit_rows]).mean()
                score[held_rows] = pd.Series(codes[held_rows]).map(means).fillna(y[fit_rows].mean()).to_numpy()
        if roc_auc_score(y, score) >= 0.95:                             # only one direction
            leaky.append(col)
    return leaky
