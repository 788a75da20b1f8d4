# mistake: 1d-only
# expect: only handles 1-D
def numerical_gradient(f, x, eps=1e-5):
    x = np.asarray(x, dtype=float)
    g = np.zeros(len(x))
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = eps
        g[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g
