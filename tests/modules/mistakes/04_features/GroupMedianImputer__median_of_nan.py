# mistake: nan-left
# expect: still has missing values
class GroupMedianImputer:
    """Medians in plain dicts (np.nanmedian); transform walks the rows."""

    def __init__(self, cols, by=None):
        self.cols = cols
        self.by = by

    def fit(self, df):
        self.medians = {c: float(np.median(df[c].to_numpy(dtype=float))) for c in self.cols}
        self.group_medians = {}
        if self.by is not None:
            for key, part in df.groupby(self.by):
                for c in self.cols:
                    values = part[c].to_numpy(dtype=float)
                    if not np.isnan(values).all():
                        self.group_medians[(key, c)] = float(np.median(values))

    def transform(self, df):
        result = df.copy()
        for c in self.cols:
            filled = []
            keys = df[self.by].tolist() if self.by is not None else [None] * len(df)
            for key, value in zip(keys, df[c].tolist()):
                if pd.isna(value):
                    value = self.group_medians.get((key, c), self.medians[c])
                filled.append(value)
            result[c] = filled
        for c in self.cols:
            result[c + "_missing"] = np.where(df[c].isna(), 1, 0)
        return result
