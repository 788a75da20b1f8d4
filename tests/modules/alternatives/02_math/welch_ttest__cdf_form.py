from scipy.stats import t as student_t

def welch_ttest(a, b):
    a = np.asarray(a, float); b = np.asarray(b, float)
    sa = a.std(ddof=1) ** 2 / a.size
    sb = b.std(ddof=1) ** 2 / b.size
    t = (a.mean() - b.mean()) / (sa + sb) ** 0.5
    dof = (sa + sb) ** 2 / (sa ** 2 / (a.size - 1) + sb ** 2 / (b.size - 1))
    p = 2 * (1 - student_t.cdf(abs(t), dof))
    return (t, dof, p)
