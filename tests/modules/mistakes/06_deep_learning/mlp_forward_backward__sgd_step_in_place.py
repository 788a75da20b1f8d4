# mistake: mutates-input
# expect: changed X or a weight array in place
def mlp_forward_backward(X, y, W1, b1, W2, b2):
    # one-hot targets, einsum contractions and a logsumexp-based loss
    N, k = X.shape[0], W2.shape[1]
    onehot = np.eye(k)[y]
    Z1 = np.einsum("nd,dh->nh", X, W1) + b1
    H = np.where(Z1 > 0, Z1, 0.0)
    S = np.einsum("nh,hk->nk", H, W2) + b2
    m = S.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(S - m).sum(axis=1))
    loss = np.mean(lse - (S * onehot).sum(axis=1))
    dS = (np.exp(S - lse[:, None]) - onehot) / N
    dH = np.einsum("nk,hk->nh", dS, W2)
    dZ1 = np.where(Z1 > 0, dH, 0.0)
    grads = {"W2": np.einsum("nh,nk->hk", H, dS), "b2": dS.sum(0),
             "W1": np.einsum("nd,nh->dh", X, dZ1), "b1": dZ1.sum(0)}
    for name, W in (("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)):
        W -= 0.1 * grads[name]                   # and take the SGD step while we are here
    return np.float64(loss), grads
