# mistake: mutates-x
# expect: Perturb copies
def numerical_gradient(f, x, eps=1e-5):
    g = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        x[idx] += eps
        fp = f(x)
        x[idx] -= 2 * eps
        fm = f(x)
        x[idx] += eps
        g[idx] = (fp - fm) / (2 * eps)
    return g
