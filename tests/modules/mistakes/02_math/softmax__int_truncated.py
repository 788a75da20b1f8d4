# mistake: int-truncated
# expect: integer dtype
def softmax(z, axis=-1):
    z = np.asarray(z)
    out = np.empty_like(z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    out[...] = e / e.sum(axis=axis, keepdims=True)
    return out
