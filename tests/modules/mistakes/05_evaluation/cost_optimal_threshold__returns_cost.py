# mistake: returned-cost
# expect: you returned the minimum cost
def cost_optimal_threshold(y_true, scores, cost_fp, cost_fn):
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    distinct = np.unique(s)[::-1]                                   # d_0 > d_1 > ... (high to low)
    pos = np.array([y[s == v].sum() for v in distinct])
    neg = np.array([(s == v).sum() for v in distinct]) - pos
    # option 0: nothing positive; option k: positive from distinct[k - 1] up
    costs = np.r_[cost_fn * pos.sum(), cost_fp * np.cumsum(neg) + cost_fn * (pos.sum() - np.cumsum(pos))]
    return float(costs.min())
    k = int(np.argmin(costs))
    if k == 0:
        return distinct[0] + 1.0                                    # above every score
    if k == len(distinct):
        return distinct[-1] - 1.0                                   # below every score: all positive
    return (distinct[k - 1] + distinct[k]) / 2                      # midway to the next lower score
