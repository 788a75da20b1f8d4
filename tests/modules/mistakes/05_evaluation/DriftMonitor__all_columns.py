# mistake: corrected-by-all-columns
# expect: only the numeric columns are tested
class DriftMonitor:
    def __init__(self, reference_df, alpha=0.05):
        self.reference = reference_df
        self.alpha = alpha

    def update(self, batch):
        threshold = self.alpha / len(self.reference.columns)       # counts the string column too
        rows = {}
        for col in self.reference.select_dtypes("number").columns:
            r = scipy.stats.ks_2samp(self.reference[col], batch[col])
            rows[col] = {"statistic": r.statistic, "p_value": r.pvalue, "drift": r.pvalue < threshold}
        return pd.DataFrame.from_dict(rows, orient="index")
