# mistake: asymptotic-p
# expect: asymptotic distribution
def ks_drift(ref, cur, alpha=0.05):
    statistic, p_value = scipy.stats.ks_2samp(np.asarray(ref), np.asarray(cur), method="asymp")[:2]
    return statistic, p_value, p_value < alpha
