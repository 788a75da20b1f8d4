# mistake: one-pass-variance
# expect: nearly equal numbers
def welch_ttest(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    na, nb = len(a), len(b)
    va = (np.sum(a ** 2) - na * a.mean() ** 2) / (na - 1) / na
    vb = (np.sum(b ** 2) - nb * b.mean() ** 2) / (nb - 1) / nb
    t = (a.mean() - b.mean()) / np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1))
    return float(t), float(dof), float(2 * scipy.stats.t.sf(abs(t), dof))
