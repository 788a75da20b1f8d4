def ks_drift(ref, cur, alpha=0.05):
    statistic, p_value = scipy.stats.kstest(np.asarray(ref), np.asarray(cur))[:2]
    return statistic, p_value, p_value < alpha
