# mistake: indicator-after-fill
# expect: filling them
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
            fill = pd.Series(self.global_[c], index=df.index)
            if self.group_ is not None:
                fill = df[self.by].map(self.group_[c]).astype(float).fillna(self.global_[c])
            out[c] = df[c].fillna(fill)
            out[f"{c}_missing"] = out[c].isna().astype(int)     # too late: already filled
        cols = [c for c in out.columns if not c.endswith("_missing")]
        return out[cols + [f"{c}_missing" for c in self.cols]]
