# mistake: x0-missing
# expect: first row must be x0
def gradient_descent(grad, x0, lr, n_steps, momentum=0.0):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    path = []
    for _ in range(n_steps):
        v = momentum * v - lr * grad(x)
        x = x + v
        path.append(x.copy())
    return np.array(path)
