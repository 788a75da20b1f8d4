# mistake: pooled-variance
# expect: pooled
def welch_ttest(a, b):
    na, nb = len(a), len(b)
    sp2 = ((na - 1) * np.var(a, ddof=1) + (nb - 1) * np.var(b, ddof=1)) / (na + nb - 2)
    t = (np.mean(a) - np.mean(b)) / np.sqrt(sp2 * (1 / na + 1 / nb))
    dof = na + nb - 2
    return t, dof, 2 * scipy.stats.t.sf(abs(t), dof)
