# mistake: samples-swapped
# expect: opposite sign
def welch_ttest(a, b):
    """Welch's unequal-variance t-test: (t, dof, two-sided p)."""
    a, b = b, a   # the arguments read the other way round
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    t = (a.mean() - b.mean()) / np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    p = 2 * scipy.stats.t.sf(abs(t), dof)
    return t, dof, p
