# mistake: false-alarm
# expect: false alarm
class DriftMonitor:
    def __init__(self, reference_df, alpha=0.05):
        self._ref = reference_df
        self._alpha = alpha

    def update(self, batch):
        numeric = [c for c in self._ref.columns if pd.api.types.is_numeric_dtype(self._ref[c])]
        records = []
        for c in numeric:
            d, p = scipy.stats.ks_2samp(self._ref[c].to_numpy(), batch[c].to_numpy())[:2]
            adjusted = min(1.0, p * len(numeric))            # Bonferroni-adjusted p, same decisions
            records.append({"feature": c, "statistic": d, "p_value": adjusted, "drift": d > self._alpha})   # statistic compared with alpha
        return pd.DataFrame(records)
