# mistake: none-when-possible
# expect: returned None
def counterfactual_linear(w, b, x, lower, upper, immutable=(), margin=0.0):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    xp = x.copy()
    gap = margin - (w @ x + b)
    if gap <= 0:
        return xp
    for i in sorted(range(len(w)), key=lambda i: -abs(w[i])):
        if i in immutable or w[i] == 0:
            continue
        room = upper[i] - x[i] if w[i] > 0 else x[i] - lower[i]
        if gap / abs(w[i]) > room:
            return None
        step = gap / abs(w[i])
        xp[i] = x[i] + np.sign(w[i]) * step
        gap -= abs(w[i]) * step
        if gap <= 1e-12:
            break
    return xp if gap <= 1e-12 else None
