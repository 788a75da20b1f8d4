from scipy.optimize import linprog


def counterfactual_linear(w, b, x, lower, upper, immutable=(), margin=0.0):
    """The L1 problem as a linear programme in (u, v) >= 0, x' = x + u - v."""
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    if w @ x + b >= margin:
        return x.copy()
    d = len(x)
    up, down = np.asarray(upper) - x, x - np.asarray(lower)
    up[list(immutable)] = 0.0
    down[list(immutable)] = 0.0
    res = linprog(np.ones(2 * d), A_ub=[np.concatenate([-w, w])], b_ub=[w @ x + b - margin],
                  bounds=[(0, u) for u in up] + [(0, v) for v in down], method="highs")
    if res.status != 0:
        return None
    xp = x + res.x[:d] - res.x[d:]
    xp[list(immutable)] = x[list(immutable)]
    if w @ xp + b < margin:            # HiGHS's own tolerance: finish the last hair on the largest free |w|
        free = [i for i in np.argsort(-np.abs(w)) if i not in set(immutable)]
        for i in free:
            need = (margin - (w @ xp + b)) / w[i] * (1 + 1e-12)
            if lower[i] <= xp[i] + need <= upper[i]:
                xp[i] += need
                break
    return np.clip(xp, lower, upper)
