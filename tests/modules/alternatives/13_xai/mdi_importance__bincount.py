def mdi_importance(tree):
    """Vectorised: the decrease of every internal node at once, summed per feature with np.bincount."""
    if isinstance(tree, list):
        kept = [mdi_importance(t) for t in tree if t.children_left.shape[0] > 1]
        if len(kept) == 0:
            return np.zeros(tree[0].n_features)
        avg = np.sum(kept, axis=0) / len(kept)
        return avg / avg.sum() if avg.sum() else avg
    inner = np.flatnonzero(tree.children_left >= 0)
    N, I = tree.weighted_n_node_samples, tree.impurity
    L, R = tree.children_left[inner], tree.children_right[inner]
    dec = N[inner] * I[inner] - N[L] * I[L] - N[R] * I[R]
    raw = np.bincount(tree.feature[inner], weights=dec, minlength=tree.n_features).astype(float)
    return raw / raw.sum() if raw.sum() > 0 else raw
