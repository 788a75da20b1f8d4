# mistake: missing-1/N
# expect: N times too large
def mlp_forward_backward(X, y, W1, b1, W2, b2):
    n = X.shape[0]
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0.0)
    logits = H @ W2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].sum()
    d_logits = np.exp(log_probs)
    d_logits[np.arange(n), y] -= 1.0
    d_Z1 = (d_logits @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ d_Z1, "b1": d_Z1.sum(0), "W2": H.T @ d_logits, "b2": d_logits.sum(0)}
