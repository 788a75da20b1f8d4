# mistake: one-sided
# expect: your p-value is one-sided
def ks_drift(ref, cur, alpha=0.05):
    r = scipy.stats.ks_2samp(ref, cur, alternative="greater")
    return r.statistic, r.pvalue, bool(r.pvalue < alpha)
