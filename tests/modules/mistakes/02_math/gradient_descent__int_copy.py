# mistake: int-x0
# expect: an integer x0 broke your update
def gradient_descent(grad, x0, lr, n_steps, momentum=0.0):
    x = x0.copy()
    v = np.zeros_like(x, dtype=float)
    path = [x.copy()]
    for _ in range(n_steps):
        v = momentum * v - lr * grad(x)
        x += v
        path.append(x.copy())
    return np.array(path)
