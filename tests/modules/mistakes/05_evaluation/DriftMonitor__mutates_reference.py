# mistake: mutates-reference
# expect: the monitor changed the reference DataFrame
class DriftMonitor:
    def __init__(self, reference_df, alpha=0.05):
        self.reference = reference_df
        self.alpha = alpha
        self.features = list(reference_df.select_dtypes("number").columns)
        self.reference["batch"] = -1             # tags the caller's frame in place

    def update(self, batch):
        rows = {}
        for col in self.features:
            r = scipy.stats.ks_2samp(self.reference[col], batch[col])
            rows[col] = {"statistic": r.statistic, "p_value": r.pvalue,
                         "drift": r.pvalue < self.alpha / len(self.features)}
        return pd.DataFrame.from_dict(rows, orient="index")
