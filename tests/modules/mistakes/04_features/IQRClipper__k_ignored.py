# mistake: k-ignored
# expect: k=1.5 whatever `k` is
class IQRClipper:
    def __init__(self, cols, k=1.5):
        self.cols = list(cols)

    def fit(self, df):
        q1, q3 = df[self.cols].quantile(0.25), df[self.cols].quantile(0.75)
        self.lower_, self.upper_ = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
        return self

    def transform(self, df):
        out = df.copy()
        out[self.cols] = df[self.cols].clip(self.lower_, self.upper_, axis=1)
        return out
