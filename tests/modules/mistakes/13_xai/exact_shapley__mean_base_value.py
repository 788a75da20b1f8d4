# mistake: mean-base-value
# expect: f(mean of the background)
def exact_shapley(f, x, background):
    x = np.asarray(x, dtype=float)
    background = np.asarray(background, dtype=float)
    d = len(x)

    def v(S):
        if len(S) == 0:
            return float(f(background.mean(axis=0, keepdims=True))[0])
        Z = background.copy()
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
