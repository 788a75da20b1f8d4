# mistake: squeeze-all
# expect: np.squeeze(out, axis=axis)
def logsumexp(z, axis=None, keepdims=False):
    z = np.asarray(z, dtype=float)
    m = np.max(z, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out)
