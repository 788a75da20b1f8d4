# mistake: valid-moved
# expect: already valid
def counterfactual_linear(w, b, x, lower, upper, immutable=(), margin=0.0):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    xp = x.copy()
    gap = margin - (w @ x + b)
    for i in sorted(range(len(w)), key=lambda i: -abs(w[i])):
        if i in immutable or w[i] == 0:
            continue
        room = upper[i] - x[i] if w[i] > 0 else x[i] - lower[i]
        step = min(gap / abs(w[i]), room)
        xp[i] = x[i] + np.sign(w[i]) * step
        gap -= abs(w[i]) * step
        if gap <= 1e-12:
            break
    return xp if gap <= 1e-12 else None
