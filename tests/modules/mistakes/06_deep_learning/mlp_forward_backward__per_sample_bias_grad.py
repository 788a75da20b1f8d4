# mistake: bias-not-summed
# expect: sum its gradient over the batch axis
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
    grads = {"W2": np.einsum("nh,nk->hk", H, dS), "b2": dS,
             "W1": np.einsum("nd,nh->dh", X, dZ1), "b1": dZ1}
    return np.float64(loss), grads
