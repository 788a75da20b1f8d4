# mistake: refit-in-transform
# expect: must reuse the medians learned in `fit`
class GroupMedianImputer:
    def __init__(self, cols, by=None):
        self.cols = list(cols)
        self.by = by

    def fit(self, df):
        return self

    def transform(self, df):
        # the medians of the frame being transformed: leakage offline, skew online
        out = df.copy()
        for c in self.cols:
            fill = pd.Series(df[c].median(), index=df.index)
            if self.by is not None:
                fill = df.groupby(self.by)[c].transform("median").fillna(df[c].median())
            out[c] = df[c].fillna(fill)
        for c in self.cols:
            out[f"{c}_missing"] = df[c].isna().astype(int)
        return out
