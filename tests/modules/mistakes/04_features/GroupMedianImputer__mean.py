# mistake: mean-not-median
# expect: filled with means
class GroupMedianImputer:
    def __init__(self, cols, by=None):
        self.cols = list(cols)
        self.by = by

    def fit(self, df):
        self.global_ = df[self.cols].mean()
        self.group_ = df.groupby(self.by)[self.cols].mean() if self.by is not None else None
        return self

    def transform(self, df):
        out = df.copy()
        flags = {f"{c}_missing": df[c].isna().astype(int) for c in self.cols}
        for c in self.cols:
            fill = pd.Series(self.global_[c], index=df.index)
            if self.group_ is not None:
                fill = df[self.by].map(self.group_[c]).astype(float).fillna(self.global_[c])
            out[c] = df[c].fillna(fill)
        return out.assign(**flags)
