# mistake: statistic-vs-alpha
# expect: you compared the KS statistic with alpha
def ks_drift(ref, cur, alpha=0.05):
    r = scipy.stats.ks_2samp(ref, cur)
    return r.statistic, r.pvalue, bool(r.statistic > alpha)
