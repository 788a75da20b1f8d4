# mistake: nan-bounds-everywhere
# expect: all NaN
class IQRClipper:
    """np.nanpercentile (linear, like pandas) and np.clip on the raw arrays."""

    def __init__(self, cols, k=1.5):
        self.cols, self.k = cols, k

    def fit(self, df):
        self.fences = {}
        for c in self.cols:
            q1, q3 = np.percentile(df[c].to_numpy(dtype=float), [25, 75])
            self.fences[c] = (q1 - self.k * (q3 - q1), q3 + self.k * (q3 - q1))
        return self

    def transform(self, df):
        clipped = df.copy()
        for c, (lo, hi) in self.fences.items():
            clipped[c] = np.clip(df[c].to_numpy(dtype=float), lo, hi)
        return clipped
