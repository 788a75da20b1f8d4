# mistake: ascending
# expect: sort the thresholds from high to low
import scipy.stats


def roc_curve(y_true, scores):
    y = np.asarray(y_true, dtype=bool)
    distinct, inverse = np.unique(np.asarray(scores, dtype=float), return_inverse=True)
    pos = np.bincount(inverse, weights=y, minlength=len(distinct))[::-1]      # high scores first
    neg = np.bincount(inverse, weights=~y, minlength=len(distinct))[::-1]
    fpr = np.concatenate([[0.0], np.cumsum(neg) / neg.sum()])
    tpr = np.concatenate([[0.0], np.cumsum(pos) / pos.sum()])
    thresholds = np.concatenate([[np.inf], distinct[::-1]])
    return fpr[::-1], tpr[::-1], thresholds[::-1]   # low thresholds first


def roc_auc(y_true, scores):
    # Mann-Whitney: average ranks give tied pairs one half
    y = np.asarray(y_true, dtype=bool)
    ranks = scipy.stats.rankdata(scores)
    n_pos, n_neg = y.sum(), (~y).sum()
    return (ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
