# mistake: constant-feature-skipped
# expect: whose values are all equal
class DriftMonitor:
    def __init__(self, reference_df, alpha):
        self.reference = reference_df.copy()
        self.alpha = alpha
        self.features = list(reference_df.select_dtypes("number").columns)

    def update(self, batch):
        threshold = self.alpha / len(self.features)
        rows = {}
        for col in self.features:
            if batch[col].nunique() < 2 or self.reference[col].nunique() < 2:
                continue                                   # nothing to compare in a constant column
            result = scipy.stats.ks_2samp(self.reference[col].to_numpy(), batch[col].to_numpy())
            rows[col] = {"statistic": float(result.statistic), "p_value": float(result.pvalue),
                         "drift": bool(result.pvalue < threshold)}
        return pd.DataFrame.from_dict(rows, orient="index")
