# mistake: missing-key-group
# expect: rows whose group key is missing form a group of their own
class GroupMedianImputer:
    """groupby(dropna=False): the rows without a city become a "NaN city" with its own median."""

    def __init__(self, cols, by=None):
        self.cols = list(cols)
        self.by = by

    def fit(self, df):
        self.global_ = df[self.cols].median()
        self.group_ = df.groupby(self.by, dropna=False)[self.cols].median() if self.by is not None else None
        return self

    def transform(self, df):
        out = df.copy()
        for c in self.cols:
            if self.by is None:
                fill = self.global_[c]
            else:
                fill = df[self.by].map(self.group_[c]).fillna(self.global_[c])
            out[c] = df[c].fillna(fill)
        for c in self.cols:
            out[f"{c}_missing"] = df[c].isna().astype(int)
        return out
