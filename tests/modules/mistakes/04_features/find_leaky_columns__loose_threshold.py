# mistake: false-alarm
# expect: false alarm on
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import cross_val_predict


def find_leaky_columns(df, target):
    """One small gradient-boosting model per column (NaN handled natively), scored by out-of-fold AUC."""
    from sklearn.metrics import roc_auc_score

    y = df[target].to_numpy()
    found = []
    for name in df.columns:
        if name == target:
            continue
        column = df[name]
        if pd.api.types.is_numeric_dtype(column):
            X = column.to_numpy(dtype=float).reshape(-1, 1)
        else:                                   # text: integer codes, NaN kept as NaN
            codes = pd.factorize(column)[0].astype(float)
            X = np.where(codes < 0, np.nan, codes).reshape(-1, 1)
        model = HistGradientBoostingClassifier(max_iter=30, random_state=0)
        proba = cross_val_predict(model, X, y, cv=5, method="predict_proba")[:, 1]
        auc = roc_auc_score(y, proba)
        if abs(auc - 0.5) >= 0.15:           # anything clearly predictive
            found.append(name)
    return pd.Index(found)      # any list-like of names will do
