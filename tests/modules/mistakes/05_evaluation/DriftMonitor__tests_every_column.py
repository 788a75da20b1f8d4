# expect: your code raised
class DriftMonitor:
    def __init__(self, reference_df, alpha=0.05):
        self.reference = reference_df
        self.alpha = alpha

    def update(self, batch):
        m = len(self.reference.columns)
        rows = {}
        for col in self.reference.columns:          # the string column too
            r = scipy.stats.ks_2samp(self.reference[col].to_numpy(float), batch[col].to_numpy(float))
            rows[col] = {"statistic": r.statistic, "p_value": r.pvalue, "drift": r.pvalue < self.alpha / m}
        return pd.DataFrame.from_dict(rows, orient="index")
