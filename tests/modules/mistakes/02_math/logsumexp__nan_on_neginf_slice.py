# mistake: nan-on-neginf-slice
# expect: a slice made only of -inf gave NaN
def logsumexp(z, axis=None, keepdims=False):
    z = np.asarray(z, dtype=float)
    m = np.max(z, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)
