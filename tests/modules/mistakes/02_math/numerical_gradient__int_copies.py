# mistake: perturbed-in-x-dtype
# expect: in x's own dtype
def numerical_gradient(f, x, eps=1e-5):
    g = np.zeros(np.shape(x))
    for idx in np.ndindex(g.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        g[idx] = (f(xp) - f(xm)) / (2 * eps)
    return g
