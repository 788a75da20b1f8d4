def exact_shapley(f, x, background):
    """All 2^d coalition values in one call of f, then the Shapley sum over bit masks."""
    x, bg = np.asarray(x, dtype=float), np.asarray(background, dtype=float)
    d, m = len(x), len(bg)
    masks = np.array([[(s >> j) & 1 for j in range(d)] for s in range(2 ** d)], dtype=bool)
    rows = np.where(masks[:, None, :], x, bg[None])
    v = f(rows.reshape(-1, d)).reshape(2 ** d, m).mean(axis=1)
    phi = np.zeros(d)
    for s in range(2 ** d):
        size = bin(s).count("1")
        for i in range(d):
            if not s >> i & 1:
                phi[i] += math.factorial(size) * math.factorial(d - size - 1) / math.factorial(d) * (v[s | 1 << i] - v[s])
    return phi
