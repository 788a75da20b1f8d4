def mlp_forward_backward(X, y, W1, b1, W2, b2):
    # accumulate gradients one sample at a time (no speed budget here)
    grads = {"W1": np.zeros_like(W1), "b1": np.zeros_like(b1), "W2": np.zeros_like(W2), "b2": np.zeros_like(b2)}
    n, total = len(X), 0.0
    for x, label in zip(X, y):
        z1 = x @ W1 + b1
        h = np.maximum(z1, 0)
        s = h @ W2 + b2
        p = np.exp(s - s.max())
        p = p / p.sum()
        total += -np.log(p[label])
        ds = p.copy()
        ds[label] -= 1
        dz1 = (W2 @ ds) * (z1 > 0)
        grads["W2"] += np.outer(h, ds) / n
        grads["b2"] += ds / n
        grads["W1"] += np.outer(x, dz1) / n
        grads["b1"] += dz1 / n
    return [total / n, grads]
