# mistake: drift-inverted
# expect: a small p-value is evidence of drift
def ks_drift(ref, cur, alpha=0.05):
    r = scipy.stats.ks_2samp(ref, cur)
    return r.statistic, r.pvalue, bool(r.pvalue > alpha)
