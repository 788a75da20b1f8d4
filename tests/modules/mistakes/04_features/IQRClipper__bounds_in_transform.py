# mistake: bounds-from-transform
# expect: learn q1, q3 and the fences in `fit`
class IQRClipper:
    def __init__(self, cols, k=1.5):
        self.cols = list(cols)
        self.k = k

    def fit(self, df):
        return self

    def transform(self, df):
        out = df.copy()
        for c in self.cols:
            q1, q3 = df[c].quantile(0.25), df[c].quantile(0.75)
            out[c] = df[c].clip(q1 - self.k * (q3 - q1), q3 + self.k * (q3 - q1))
        return out
