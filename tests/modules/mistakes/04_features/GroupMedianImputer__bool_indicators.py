# mistake: indicator-not-int
# expect: int 0/1 columns
class GroupMedianImputer:
    def __init__(self, cols, by=None):
        self.cols = list(cols)
        self.by = by

    def fit(self, df):
        self.global_ = df[self.cols].median()
        self.group_ = df.groupby(self.by)[self.cols].median() if self.by is not None else None
        return self

    def transform(self, df):
        out = df.copy()
        flags = {f"{c}_missing": df[c].isna() for c in self.cols}
        for c in self.cols:
            fill = pd.Series(self.global_[c], index=df.index)
            if self.group_ is not None:
                fill = df[self.by].map(self.group_[c]).astype(float).fillna(self.global_[c])
            out[c] = df[c].fillna(fill)
        return out.assign(**flags)
