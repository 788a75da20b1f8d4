# mistake: aliasing
# expect: same array
def gradient_descent(grad, x0, lr, n_steps, momentum=0.0):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    path = [x]
    for _ in range(n_steps):
        v = momentum * v - lr * grad(x)
        x += v
        path.append(x)
    return np.array(path)
