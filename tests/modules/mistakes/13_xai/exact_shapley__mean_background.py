# mistake: mean-background
# expect: mean row
def exact_shapley(f, x, background):
    x = np.asarray(x, dtype=float)
    background = np.asarray(background, dtype=float)
    d = len(x)

    def v(S):
        Z = background.mean(axis=0, keepdims=True).copy()
        Z[:, list(S)] = x[list(S)]
        return float(np.mean(f(Z)))

    phi = np.zeros(d)
    for i in range(d):
        others = [j for j in range(d) if j != i]
        for size in range(d):
            weight = math.factorial(size) * math.factorial(d - size - 1) / math.factorial(d)
            for S in itertools.combinations(others, size):
                phi[i] += weight * (v(S + (i,)) - v(S))
    return phi
