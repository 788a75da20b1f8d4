def softmax(z, axis=-1):
    import math
    z = np.moveaxis(np.array(z, dtype=float), axis, -1)
    out = np.empty_like(z)
    for idx in np.ndindex(z.shape[:-1]):
        row = z[idx]
        m = max(row)
        exps = [math.exp(v - m) for v in row]
        total = sum(exps)
        out[idx] = [e / total for e in exps]
    return np.moveaxis(out, -1, axis)
