# mistake: naive-logsumexp
# expect: overflows
def logsumexp(z, axis=None, keepdims=False):
    return np.log(np.sum(np.exp(z), axis=axis, keepdims=keepdims))
