def logsumexp(z, axis=None, keepdims=False):
    z = np.asarray(z, dtype=float)
    m = np.amax(z, axis=axis, keepdims=True)
    m[~np.isfinite(m)] = 0
    s = np.sum(np.exp(z - m), axis=axis, keepdims=keepdims)
    if not keepdims:
        m = np.squeeze(m, axis=axis) if axis is not None else m.reshape(())
    return np.log(s) + m
