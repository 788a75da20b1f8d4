# mistake: alpha-ignored
# expect: you ignored `alpha`
def ks_drift(ref, cur, alpha=0.05):
    r = scipy.stats.ks_2samp(ref, cur)
    return r.statistic, r.pvalue, bool(r.pvalue < 0.05)
