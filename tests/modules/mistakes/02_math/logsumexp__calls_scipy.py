# mistake: blocked-call
# expect: implement it yourself
from scipy.special import logsumexp as _scipy_lse

def logsumexp(z, axis=None, keepdims=False):
    return _scipy_lse(z, axis=axis, keepdims=keepdims)
