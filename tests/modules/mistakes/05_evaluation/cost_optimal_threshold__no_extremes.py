# mistake: extremes-missing
# expect: include a threshold above the highest score
def cost_optimal_threshold(y_true, scores, cost_fp, cost_fn):
    y = np.asarray(y_true).astype(bool)
    s = np.asarray(scores, dtype=float)
    candidates = np.unique(s)[1:]              # never "everything positive", never "nothing positive"
    costs = [cost_fp * np.sum((s >= t) & ~y) + cost_fn * np.sum((s < t) & y) for t in candidates]
    return float(candidates[int(np.argmin(costs))])
