# mistake: unseen-group-nan
# expect: fall back to the global median learned at fit
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
        for c in self.cols:
            fill = df[self.by].map(self.group_[c]) if self.by is not None else self.global_[c]
            out[c] = df[c].fillna(fill)
        for c in self.cols:
            out[f"{c}_missing"] = df[c].isna().astype(int)
        return out
