# mistake: float32-precision
# expect: float32 precision
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float32)        # half the memory
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
