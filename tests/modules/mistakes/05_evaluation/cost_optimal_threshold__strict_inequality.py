# mistake: strict-inequality
# expect: predicts positive when score >= t
def cost_optimal_threshold(y_true, scores, cost_fp, cost_fn):
    y = np.asarray(y_true).astype(bool)
    s = np.asarray(scores, dtype=float)
    candidates = np.r_[-np.inf, np.unique(s)]
    costs = [cost_fp * np.sum((s > t) & ~y) + cost_fn * np.sum((s <= t) & y) for t in candidates]
    return float(candidates[int(np.argmin(costs))])
