# mistake: l2-step
# expect: every feature
def counterfactual_linear(w, b, x, lower, upper, immutable=(), margin=0.0):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    gap = margin - (w @ x + b)
    if gap <= 0:
        return x.copy()
    v = w.copy()
    v[list(immutable)] = 0.0
    xp = x + gap * v / (v @ v)
    xp = np.clip(xp, lower, upper)
    if w @ xp + b < margin - 1e-9:
        return None
    return xp
