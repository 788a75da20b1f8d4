# mistake: transposed-weights
# expect: weight gradient is transposed
def mlp_forward_backward(X, y, W1, b1, W2, b2):
    n = X.shape[0]
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0.0)
    logits = H @ W2 + b2
    P = np.exp(logits - logits.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    loss = -np.log(P[np.arange(n), y]).mean()
    d_logits = P.copy()
    d_logits[np.arange(n), y] -= 1.0
    d_logits /= n
    d_Z1 = (d_logits @ W2.T) * (Z1 > 0)
    return loss, {"W1": d_Z1.T @ X, "b1": d_Z1.sum(0), "W2": d_logits.T @ H, "b2": d_logits.sum(0)}
