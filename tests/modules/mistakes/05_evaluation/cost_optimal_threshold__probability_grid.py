# mistake: not-optimal
# expect: a cheaper threshold exists
def cost_optimal_threshold(y_true, scores, cost_fp, cost_fn):
    y = np.asarray(y_true).astype(bool)
    s = np.asarray(scores, dtype=float)
    grid = np.linspace(0, 1, 21)               # assumes probabilities, coarse steps
    costs = [cost_fp * np.sum((s >= t) & ~y) + cost_fn * np.sum((s < t) & y) for t in grid]
    return float(grid[int(np.argmin(costs))])
