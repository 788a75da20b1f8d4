# mistake: nan-quantiles
# expect: np.percentile / np.quantile return NaN
class IQRClipper:
    def __init__(self, cols, k=1.5):
        self.cols = list(cols)
        self.k = k

    def fit(self, df):
        self.bounds_ = {}
        for c in self.cols:
            q1, q3 = np.percentile(df[c].to_numpy(), [25, 75])     # NaN in, NaN out
            self.bounds_[c] = (q1 - self.k * (q3 - q1), q3 + self.k * (q3 - q1))
        return self

    def transform(self, df):
        out = df.copy()
        for c, (lo, hi) in self.bounds_.items():
            out[c] = df[c].clip(lo, hi)
        return out
