# mistake: momentum-on-gradient
# expect: heavy-ball
def gradient_descent(grad, x0, lr, n_steps, momentum=0.0):
    x = np.array(x0, dtype=float)
    g_avg = np.zeros_like(x)
    path = [x.copy()]
    for _ in range(n_steps):
        g_avg = momentum * g_avg + (1 - momentum) * grad(x)
        x = x - lr * g_avg
        path.append(x.copy())
    return np.array(path)
