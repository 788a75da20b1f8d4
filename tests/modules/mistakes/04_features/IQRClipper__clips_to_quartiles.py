# mistake: clip-to-quartiles
# expect: you clipped to [q1, q3]
class IQRClipper:
    """np.nanpercentile (linear, like pandas) and np.clip on the raw arrays."""

    def __init__(self, cols, k=1.5):
        self.cols, self.k = cols, k

    def fit(self, df):
        self.fences = {}
        for c in self.cols:
            q1, q3 = np.nanpercentile(df[c].to_numpy(dtype=float), [25, 75])
            self.fences[c] = (q1, q3)
        return self

    def transform(self, df):
        clipped = df.copy()
        for c, (lo, hi) in self.fences.items():
            clipped[c] = np.clip(df[c].to_numpy(dtype=float), lo, hi)
        return clipped
