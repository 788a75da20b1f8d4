# expect: On a generated input
# (k taken from the labels, np.eye(y.max() + 1): wrong or raising when the largest classes are absent from y)
def mlp_forward_backward(X, y, W1, b1, W2, b2):
    n = X.shape[0]
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0.0)
    logits = H @ W2 + b2
    P = np.exp(logits - logits.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    Y = np.eye(y.max() + 1)[y]
    loss = -np.log((P * Y).sum(axis=1)).mean()
    d_logits = (P - Y) / n
    d_H = d_logits @ W2.T
    d_Z1 = d_H * (Z1 > 0)
    return float(loss), {"W1": X.T @ d_Z1, "b1": d_Z1.sum(axis=0), "W2": H.T @ d_logits, "b2": d_logits.sum(axis=0)}
