# mistake: counting-splits
# expect: counted the splits
def mdi_importance(tree):
    if isinstance(tree, (list, tuple)):
        parts = [mdi_importance(t) for t in tree if len(t.children_left) > 1]
        if not parts:
            return np.zeros(tree[0].n_features)
        mean = np.mean(parts, axis=0)
        return mean / mean.sum() if mean.sum() > 0 else mean
    left, right = np.asarray(tree.children_left), np.asarray(tree.children_right)
    n, imp = np.asarray(tree.weighted_n_node_samples, dtype=float), np.asarray(tree.impurity, dtype=float)
    out = np.zeros(tree.n_features)
    for t in np.flatnonzero(left != -1):
        l, r = left[t], right[t]
        out[tree.feature[t]] += 1
    total = out.sum()
    return out / total if total > 0 else out
